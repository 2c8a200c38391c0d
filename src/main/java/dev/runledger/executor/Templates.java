package dev.runledger.executor;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * Renders {@code ${{ expr }}} templates. A string that is exactly one expression keeps the value's
 * type; other strings interpolate. Objects and arrays are rendered element by element.
 */
public interface Templates {
  /**
   * Renders a template.
   *
   * @param extra additional variables (for example {@code response} after an HTTP request)
   * @throws TemplateException when an expression fails; its message names the expression
   */
  JsonNode render(JsonNode template, Map<String, Object> extra);

  default JsonNode render(JsonNode template) {
    return render(template, Map.of());
  }

  /** Renders and converts to text (JSON text for objects and arrays). */
  default String renderText(JsonNode template, Map<String, Object> extra) {
    JsonNode value = render(template, extra);
    if (value == null || value.isNull()) {
      return "";
    }
    return value.isValueNode() ? value.asText() : value.toString();
  }

  /** Replaces every secret value in the text with {@code ***}. */
  String mask(String text);

  /**
   * Masks the start of a text that goes on past its end (a long line read in pieces): appends to
   * {@code out} the masked text up to where a secret could still continue into what follows, and
   * returns how many characters of {@code text} that covers; the rest is masked with what follows,
   * so that no secret is cut in two.
   */
  int maskLeading(String text, StringBuilder out);
}
