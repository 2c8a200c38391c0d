package dev.runledger.executor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runledger.model.Timestamps;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What an {@code http} attempt leaves as evidence, as a command leaves its argv and executable: the
 * request as sent (method, URL, headers, the start of its body), each redirect, and the response
 * (status, the headers worth keeping, the first {@value #BODY_EXCERPT_BYTES} bytes of its body),
 * with timing. Secrets are masked everywhere; credential headers (Authorization, Cookie and the
 * like, or any header named as a token, key or secret) never show their value.
 */
final class HttpEvidence {
  static final int BODY_EXCERPT_BYTES = 4096;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String REDACTED = "***";
  private static final Set<String> CREDENTIALS =
      Set.of("authorization", "proxy-authorization", "cookie", "set-cookie");
  private static final Pattern SECRET_NAME =
      Pattern.compile(".*(token|secret|passw|api-?key|auth|session|signature|credential).*");

  /** Response headers that say what came back or what to do next; others are not kept. */
  private static final List<String> KEPT_RESPONSE_HEADERS =
      List.of(
          "content-type",
          "content-length",
          "content-encoding",
          "location",
          "retry-after",
          "idempotent-replayed",
          "etag",
          "last-modified",
          "date",
          "x-request-id",
          "request-id",
          "x-correlation-id",
          "traceparent");

  private final Templates templates;
  private final Clock clock;
  private final ObjectNode node = JSON.createObjectNode();
  private long startedNanos;

  HttpEvidence(Templates templates, Clock clock) {
    this.templates = templates;
    this.clock = clock;
  }

  /** The request about to be sent (the first, or the next hop of a redirect). */
  void request(String method, URI uri, Map<String, String> headers, String body) {
    if (!node.has("method")) {
      node.put("startedAt", Timestamps.format(clock.instant()));
      startedNanos = System.nanoTime();
    } else {
      ArrayNode redirects =
          node.has("redirects") ? (ArrayNode) node.get("redirects") : node.putArray("redirects");
      redirects
          .addObject()
          .put("status", node.path("status").asInt())
          .put("url", node.path("url").asText());
    }
    node.put("method", method);
    node.put("url", url(uri));
    ObjectNode sent = node.putObject("requestHeaders");
    headers.forEach((name, value) -> sent.put(name, headerValue(name, value)));
    putBody("requestBody", body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    node.remove(List.of("status", "responseHeaders", "responseBody", "error"));
  }

  /** The response to the last request. */
  void response(int status, HttpHeaders headers, byte[] body) {
    node.put("status", status);
    ObjectNode kept = node.putObject("responseHeaders");
    for (String name : KEPT_RESPONSE_HEADERS) {
      headers.firstValue(name).ifPresent(value -> kept.put(name, headerValue(name, value)));
    }
    putBody("responseBody", body);
    timed();
  }

  /** The last request got no response: why (already masked or free of secrets). */
  void failed(String cause) {
    node.put("error", templates.mask(cause));
    timed();
  }

  boolean isEmpty() {
    return !node.has("method");
  }

  JsonNode toJson() {
    return node.deepCopy();
  }

  private void timed() {
    node.put("durationMs", (System.nanoTime() - startedNanos) / 1_000_000);
  }

  /**
   * {@code {bytes, excerpt, truncated}}: the whole body is masked before it is cut, so a secret
   * that straddles the cut is not left half shown.
   */
  private void putBody(String field, byte[] bytes) {
    if (bytes == null) {
      node.putNull(field);
      return;
    }
    String text = templates.mask(new String(bytes, StandardCharsets.UTF_8));
    byte[] masked = text.getBytes(StandardCharsets.UTF_8);
    boolean truncated = masked.length > BODY_EXCERPT_BYTES;
    String excerpt =
        truncated
            ? new String(masked, 0, BODY_EXCERPT_BYTES, StandardCharsets.UTF_8)
                // a multi-byte character cut in two decodes as U+FFFD; it is dropped
                .replaceAll("\uFFFD$", "")
            : text;
    node.putObject(field)
        .put("bytes", bytes.length)
        .put("excerpt", excerpt)
        .put("truncated", truncated);
  }

  private String headerValue(String name, String value) {
    String lower = name.toLowerCase(Locale.ROOT);
    if (CREDENTIALS.contains(lower) || SECRET_NAME.matcher(lower).matches()) {
      return REDACTED;
    }
    return templates.mask(value);
  }

  /** The URL with any user info replaced and secrets masked. */
  private String url(URI uri) {
    String text = uri.toString();
    if (uri.getRawUserInfo() != null) {
      text = text.replace(uri.getRawUserInfo() + "@", REDACTED + "@");
    }
    return templates.mask(text);
  }
}
