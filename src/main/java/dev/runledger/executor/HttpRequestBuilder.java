package dev.runledger.executor;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Builds the request of an {@code http} action: renders method, URL, headers and body from the
 * action's section, then turns it into the client's request with the attempt's idempotency key.
 */
final class HttpRequestBuilder {
  private static final Pattern METHOD = Pattern.compile("[A-Z]{1,20}");

  private HttpRequestBuilder() {}

  /** The request the action describes; an Idempotency-Key it sets is dropped (ours is sent). */
  static OutgoingRequest render(JsonNode spec, Templates templates) throws AttemptFailedException {
    String method =
        spec.hasNonNull("method")
            ? templates.renderText(spec.get("method"), Map.of()).strip().toUpperCase(Locale.ROOT)
            : "GET";
    if (!METHOD.matcher(method).matches()) {
      throw AttemptFailedException.deterministic(
          "'" + method + "' is not an HTTP method", "use GET, POST, PUT, PATCH or DELETE");
    }
    if (!spec.hasNonNull("url")) {
      throw AttemptFailedException.deterministic("http.url is missing", "give the URL to call");
    }
    String url = templates.renderText(spec.get("url"), Map.of()).strip();
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw AttemptFailedException.deterministic(
          "'" + url + "' is not a valid URL: " + e.getReason(), "check the URL and its parameters");
    }
    if (!uri.isAbsolute()) {
      throw AttemptFailedException.deterministic(
          "'" + url + "' is not an absolute URL", "write https://host/path");
    }
    Map<String, String> headers = new LinkedHashMap<>();
    JsonNode declared = spec.get("headers");
    if (declared != null && !declared.isNull()) {
      if (!declared.isObject()) {
        throw AttemptFailedException.deterministic(
            "http.headers must be a map of names to values", "write headers: {Name: value}");
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = declared.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> entry = it.next();
        if (!entry.getKey().equalsIgnoreCase("Idempotency-Key")) {
          headers.put(entry.getKey(), templates.renderText(entry.getValue(), Map.of()));
        }
      }
    }
    JsonNode body = spec.hasNonNull("body") ? templates.render(spec.get("body"), Map.of()) : null;
    return new OutgoingRequest(method, uri, headers, body);
  }

  /**
   * The client's request: a JSON or text body with its Content-Type unless the action set one, the
   * idempotency key, and a timeout of what is left until {@code deadline} ({@code Long.MAX_VALUE}:
   * none).
   */
  static HttpRequest build(OutgoingRequest request, String idempotencyKey, long deadline)
      throws AttemptFailedException {
    HttpRequest.Builder builder = HttpRequest.newBuilder(request.uri());
    if (deadline != Long.MAX_VALUE) {
      builder.timeout(Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime())));
    }
    boolean hasContentType =
        request.headers().keySet().stream().anyMatch(h -> h.equalsIgnoreCase("Content-Type"));
    HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.noBody();
    String text = request.bodyText();
    if (text != null) {
      body = HttpRequest.BodyPublishers.ofString(text, StandardCharsets.UTF_8);
      if (!hasContentType) {
        builder.header(
            "Content-Type",
            request.body().isTextual() ? "text/plain; charset=utf-8" : "application/json");
      }
    }
    for (Map.Entry<String, String> header : request.headers().entrySet()) {
      try {
        builder.header(header.getKey(), header.getValue());
      } catch (IllegalArgumentException e) {
        throw AttemptFailedException.deterministic(
            "header '" + header.getKey() + "' cannot be sent: " + e.getMessage(),
            "remove the header from the action; the client sets it itself");
      }
    }
    builder.header("Idempotency-Key", idempotencyKey);
    try {
      return builder.method(request.method(), body).build();
    } catch (IllegalArgumentException e) {
      throw AttemptFailedException.deterministic(
          "the request cannot be built: " + e.getMessage(), "check the method and URL");
    }
  }
}
