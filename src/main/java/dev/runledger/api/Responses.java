package dev.runledger.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runledger.model.Json;
import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Writes JSON responses: plain, with an entity tag, or a page with its {@code Link}. */
final class Responses {
  private Responses() {}

  static void json(Context ctx, int status, Object body) {
    ctx.status(status).contentType("application/json").result(Json.write(body));
  }

  static void json(Context ctx, Object body) {
    json(ctx, 200, body);
  }

  /**
   * A representation with a strong {@code ETag} (a digest of its bytes); a GET whose {@code
   * If-None-Match} names it gets 304 without a body.
   */
  static void tagged(Context ctx, JsonNode body) {
    String text = Json.write(body);
    String etag = etag(text);
    ctx.header("ETag", etag);
    if (ETags.matches(ctx.header("If-None-Match"), etag)) {
      ctx.status(304);
      return;
    }
    ctx.status(200).contentType("application/json").result(text);
  }

  /** The entity tag of a representation. */
  static String etag(JsonNode body) {
    return etag(Json.write(body));
  }

  private static String etag(String text) {
    return "\"" + Canonical.sha256(text).substring(0, 32) + "\"";
  }

  /**
   * A page {@code {items, nextCursor}}; when there is a next page, {@code Link: <...>; rel="next"}
   * (RFC 8288) names it: this request with {@code cursor} set to the next cursor.
   */
  static void page(Context ctx, List<? extends JsonNode> items, String nextCursor) {
    if (nextCursor != null) {
      ctx.header("Link", "<" + nextPage(ctx, nextCursor) + ">; rel=\"next\"");
    }
    json(ctx, Views.page(items, nextCursor));
  }

  private static String nextPage(Context ctx, String cursor) {
    StringBuilder uri = new StringBuilder(ctx.path());
    char sep = '?';
    for (Map.Entry<String, List<String>> param : ctx.queryParamMap().entrySet()) {
      if (param.getKey().equals("cursor")) {
        continue;
      }
      for (String value : param.getValue()) {
        uri.append(sep).append(encode(param.getKey())).append('=').append(encode(value));
        sep = '&';
      }
    }
    return uri.append(sep).append("cursor=").append(encode(cursor)).toString();
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
