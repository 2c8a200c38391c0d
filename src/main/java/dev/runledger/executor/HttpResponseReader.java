package dev.runledger.executor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.runledger.model.Failure;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * Reads what came back from an {@code http} request: the body as JSON or text, and the outputs the
 * action takes from the response ({@code response.status}, {@code .headers}, {@code .body}).
 */
final class HttpResponseReader {
  private static final ObjectMapper JSON = new ObjectMapper();

  private HttpResponseReader() {}

  /** The body as JSON when it is JSON, else as a string. */
  static JsonNode body(HttpResponse<byte[]> response) {
    String text = new String(response.body(), StandardCharsets.UTF_8);
    String type = response.headers().firstValue("content-type").orElse("").toLowerCase(Locale.ROOT);
    String trimmed = text.strip();
    boolean looksJson = trimmed.startsWith("{") || trimmed.startsWith("[");
    if (type.contains("json") || looksJson) {
      try {
        JsonNode node = JSON.readTree(text);
        if (node != null && !node.isMissingNode()) {
          return node;
        }
      } catch (JsonProcessingException e) {
        // Not JSON after all: kept as text.
      }
    }
    return TextNode.valueOf(text);
  }

  /** Whether the far side says the effect had happened already (Idempotent-Replayed: true). */
  static boolean replayed(HttpResponse<byte[]> response) {
    return response.headers().firstValue("idempotent-replayed").orElse("").equalsIgnoreCase("true");
  }

  /**
   * The outputs of a successful response: the {@code template} rendered against it, or without one
   * the body when it is a JSON object (else no outputs).
   */
  static JsonNode outputs(
      JsonNode template, Templates templates, HttpResponse<byte[]> response, JsonNode body)
      throws AttemptFailedException {
    if (template == null) {
      return body.isObject() ? body : JSON.createObjectNode();
    }
    ObjectNode variable = JSON.createObjectNode();
    variable.put("status", response.statusCode());
    ObjectNode headers = variable.putObject("headers");
    response
        .headers()
        .map()
        .forEach(
            (name, values) -> {
              if (!values.isEmpty()) {
                headers.put(name.toLowerCase(Locale.ROOT), values.get(0));
              }
            });
    variable.set("body", body);
    JsonNode rendered;
    try {
      rendered = templates.render(template, Map.of("response", variable));
    } catch (TemplateException e) {
      throw new AttemptFailedException(
          Failure.deterministic(
              "outputs: " + e.getMessage(),
              "the response did not have what the outputs expressions read; check them"));
    }
    if (rendered == null || !rendered.isObject()) {
      throw AttemptFailedException.deterministic(
          "http.outputs must render to an object of named outputs",
          "write outputs: {name: \"${{ response.body.id }}\"}");
    }
    return rendered;
  }

  /** The start of a body for a failure's cause: white space folded, at most 200 characters. */
  static String excerpt(JsonNode body) {
    String text = body.isTextual() ? body.asText() : body.toString();
    text = text.replaceAll("\\s+", " ").strip();
    return text.length() <= 200 ? text : text.substring(0, 197) + "...";
  }
}
