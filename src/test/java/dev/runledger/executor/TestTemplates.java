package dev.runledger.executor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.runledger.definition.SecretMasker;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Templates for tests: replaces {@code ${{ a.b.c }}} with a dotted path into {@code inputs}, {@code
 * secrets} or an extra variable. No CEL. Secrets are masked as the engine masks them.
 */
final class TestTemplates implements Templates {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern EXPR =
      Pattern.compile("\\$\\{\\{\\s*([A-Za-z_][A-Za-z0-9_.-]*)\\s*}}");

  private final Map<String, Object> variables = new LinkedHashMap<>();
  private final SecretMasker masker;

  TestTemplates(Map<String, ?> inputs) {
    this(inputs, Map.of());
  }

  TestTemplates(Map<String, ?> inputs, Map<String, String> secrets) {
    this.masker = new SecretMasker(secrets.values());
    variables.put("inputs", inputs);
    variables.put("secrets", secrets);
  }

  @Override
  public JsonNode render(JsonNode template, Map<String, Object> extra) {
    if (template == null) {
      return null;
    }
    if (template.isTextual()) {
      return renderText(template.asText(), extra);
    }
    if (template.isObject()) {
      ObjectNode out = JSON.createObjectNode();
      for (Iterator<Map.Entry<String, JsonNode>> it = template.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        out.set(e.getKey(), render(e.getValue(), extra));
      }
      return out;
    }
    if (template.isArray()) {
      ArrayNode out = JSON.createArrayNode();
      template.forEach(element -> out.add(render(element, extra)));
      return out;
    }
    return template;
  }

  private JsonNode renderText(String text, Map<String, Object> extra) {
    Matcher whole = EXPR.matcher(text);
    if (whole.matches()) {
      return lookup(whole.group(1), extra);
    }
    Matcher m = EXPR.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      JsonNode value = lookup(m.group(1), extra);
      String replacement = value.isValueNode() ? value.asText() : value.toString();
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return TextNode.valueOf(out.toString());
  }

  private JsonNode lookup(String path, Map<String, Object> extra) {
    String[] parts = path.split("\\.");
    Map<String, Object> scope = new LinkedHashMap<>(variables);
    scope.putAll(extra);
    if (!scope.containsKey(parts[0])) {
      throw new TemplateException("${{ " + path + " }}: unknown variable " + parts[0]);
    }
    JsonNode node = JSON.valueToTree(scope.get(parts[0]));
    for (int i = 1; i < parts.length; i++) {
      node = node == null ? null : node.get(parts[i]);
    }
    if (node == null) {
      throw new TemplateException("${{ " + path + " }}: no such key");
    }
    return node;
  }

  @Override
  public String mask(String text) {
    return masker.mask(text);
  }

  @Override
  public int maskLeading(String text, StringBuilder out) {
    return masker.maskLeading(text, out);
  }
}
