package dev.runledger.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/** The JSON and YAML mappers the client uses, and small helpers for reading answers. */
final class Json {
  static final ObjectMapper MAPPER =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  // a second document is refused as the server refuses it, not dropped
  static final ObjectMapper YAML =
      new YAMLMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private Json() {}

  static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new CliException("cannot write JSON: " + e.getOriginalMessage(), e);
    }
  }

  static String pretty(JsonNode node) {
    try {
      return MAPPER.writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new CliException("cannot write JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** A field's text, or {@code null} when it is missing or JSON null. */
  static String text(JsonNode node, String field) {
    JsonNode value = node == null ? null : node.get(field);
    return value == null || value.isNull() || value.isMissingNode() ? null : value.asText();
  }

  static String textOr(JsonNode node, String field, String fallback) {
    String value = text(node, field);
    return value == null ? fallback : value;
  }

  /**
   * Reads a {@code -p} value: JSON when the whole text is a JSON value ({@code 14}, {@code true},
   * {@code [1,2]}, {@code "x"}), otherwise the text itself as a string.
   */
  static JsonNode parameterValue(String text) {
    if (text.isBlank()) {
      return MAPPER.getNodeFactory().textNode(text);
    }
    try {
      JsonNode node = MAPPER.readTree(text);
      if (node != null && !node.isMissingNode()) {
        return node;
      }
    } catch (JsonProcessingException notJson) {
      // a plain string
    }
    return MAPPER.getNodeFactory().textNode(text);
  }
}
