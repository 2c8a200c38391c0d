package dev.runledger.definition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Renders "${{ expr }}" templates in a JSON tree. A string that is exactly one expression becomes
 * the value with its type (a list stays a list, a number a number); other strings interpolate each
 * value as text; objects and arrays render element by element; other values stay as they are.
 */
public final class TemplateRenderer {
  private final Expressions expressions;

  public TemplateRenderer(Expressions expressions) {
    this.expressions = expressions;
  }

  /**
   * Renders a template.
   *
   * @param variables {@code inputs}, {@code steps}, {@code secrets}... as plain Java values (Map,
   *     List, String, numbers, Boolean, null) or JSON trees
   * @throws ExpressionException naming the expression that failed
   */
  public JsonNode render(JsonNode template, Map<String, ?> variables) {
    return render(template, expressions.bind(variables));
  }

  /** Renders against variables already bound (to render several templates with one binding). */
  public JsonNode render(JsonNode template, Expressions.Bindings bindings) {
    if (template == null) {
      return null;
    }
    if (template.isTextual()) {
      String text = template.textValue();
      if (!TemplateSyntax.hasExpression(text)) {
        return template;
      }
      List<TemplateSyntax.Part> parts = TemplateSyntax.parse(text);
      if (parts.size() == 1 && parts.get(0).isExpression()) {
        return CelValues.toJson(expressions.evaluate(parts.get(0).expression(), bindings));
      }
      return JsonNodeFactory.instance.textNode(interpolate(parts, bindings));
    }
    if (template.isObject()) {
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      for (Iterator<Map.Entry<String, JsonNode>> it = template.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        out.set(field.getKey(), render(field.getValue(), bindings));
      }
      return out;
    }
    if (template.isArray()) {
      ArrayNode out = JsonNodeFactory.instance.arrayNode(template.size());
      for (JsonNode item : template) {
        out.add(render(item, bindings));
      }
      return out;
    }
    return template;
  }

  /** Renders a string template to text (a lone expression's value converted to text as well). */
  public String renderText(String template, Map<String, ?> variables) {
    return renderText(template, expressions.bind(variables));
  }

  /** Renders a string template to text against variables already bound. */
  public String renderText(String template, Expressions.Bindings bindings) {
    if (!TemplateSyntax.hasExpression(template)) {
      return template;
    }
    return interpolate(TemplateSyntax.parse(template), bindings);
  }

  private String interpolate(List<TemplateSyntax.Part> parts, Expressions.Bindings bindings) {
    StringBuilder out = new StringBuilder();
    for (TemplateSyntax.Part part : parts) {
      if (part.isExpression()) {
        out.append(CelValues.toText(expressions.evaluate(part.expression(), bindings)));
        try {
          expressions.limits().checkText(out.length(), "the rendered text");
        } catch (ExpressionLimitException e) {
          throw new ExpressionLimitException(
              "in `" + Expressions.shown(part.expression()) + "`: " + e.getMessage(), e);
        }
      } else {
        out.append(part.text());
      }
    }
    return out.toString();
  }

  /** What is wrong with each expression in a template; empty when all compile. */
  public List<String> compileCheck(String text) {
    return expressions.compileCheck(text);
  }
}
