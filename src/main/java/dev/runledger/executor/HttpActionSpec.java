package dev.runledger.executor;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The checked {@code http} section of an action: which statuses count as success, whether redirects
 * are followed, and the outputs template. The request itself is rendered by {@link
 * HttpRequestBuilder}.
 */
record HttpActionSpec(JsonNode spec, Set<Integer> successCodes, boolean followRedirects) {
  private static final Set<String> SPEC_KEYS =
      Set.of("method", "url", "headers", "body", "successCodes", "outputs", "followRedirects");

  static HttpActionSpec read(JsonNode spec) throws AttemptFailedException {
    ActionSection.check(
        spec,
        "http",
        SPEC_KEYS,
        "write http: {url: ..., method: ...}",
        "use method, url, headers, body, successCodes, outputs");
    return new HttpActionSpec(
        spec, successCodes(spec), spec.path("followRedirects").asBoolean(false));
  }

  /** A listed status, or any 2xx when none are listed. */
  boolean isSuccess(int status) {
    return successCodes.isEmpty() ? status >= 200 && status < 300 : successCodes.contains(status);
  }

  /** The outputs template, or null when the action declares none. */
  JsonNode outputs() {
    JsonNode template = spec.get("outputs");
    return template == null || template.isNull() ? null : template;
  }

  private static Set<Integer> successCodes(JsonNode spec) throws AttemptFailedException {
    JsonNode node = spec.get("successCodes");
    if (node == null || node.isNull()) {
      return Set.of();
    }
    Set<Integer> codes = new LinkedHashSet<>();
    if (node.isArray()) {
      for (JsonNode code : node) {
        if (code.isIntegralNumber() && code.intValue() >= 100 && code.intValue() <= 599) {
          codes.add(code.intValue());
          continue;
        }
        codes.clear();
        break;
      }
    }
    if (codes.isEmpty()) {
      throw AttemptFailedException.deterministic(
          "http.successCodes must be a non-empty list of HTTP status codes", "write [200, 201]");
    }
    return codes;
  }
}
