package dev.runledger.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runledger.definition.FieldPath;
import dev.runledger.model.FieldError;
import dev.runledger.model.Json;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A submitted Run form read back into parameters by the same schema that made it: numbers as
 * numbers, a checkbox as true or false, an enum's entry as the value it names, JSON fields parsed.
 * An empty field is left out, so the schema's default (or its {@code required}) applies as it does
 * for the API. What cannot be read (a number that is none, JSON that is not valid) is a problem of
 * that field before anything is started.
 *
 * @param parameters the parameters to start the run with
 * @param entered what each field held, by property name, to show again
 * @param problems what could not be read, by property name
 */
record RunFormInput(
    ObjectNode parameters, Map<String, String> entered, Map<String, String> problems) {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Reads the form's values ({@code form} gives a field's value by its posted name, or null). */
  static RunFormInput read(JsonNode schema, Function<String, String> form) {
    ObjectNode parameters = Json.object();
    Map<String, String> entered = new LinkedHashMap<>();
    Map<String, String> problems = new LinkedHashMap<>();
    if (schema == null || schema.isNull() || schema.isMissingNode()) {
      return new RunFormInput(parameters, entered, problems);
    }
    JsonNode properties = schema.get("properties");
    if (properties == null || !properties.isObject() || properties.isEmpty()) {
      String text = orEmpty(form.apply(RunForm.PREFIX + RunForm.WHOLE));
      entered.put(RunForm.WHOLE, text);
      if (!text.isBlank()) {
        JsonNode whole = json(text, RunForm.WHOLE, problems);
        if (whole != null && whole.isObject()) {
          parameters.setAll((ObjectNode) whole);
        } else if (whole != null) {
          problems.put(RunForm.WHOLE, "must be a JSON object");
        }
      }
      return new RunFormInput(parameters, entered, problems);
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> property = it.next();
      String name = property.getKey();
      String control = RunForm.control(property.getValue());
      String raw = form.apply(RunForm.PREFIX + name);
      if (control.equals("checkbox")) {
        boolean on = raw != null && !raw.isEmpty() && !raw.equals("false");
        entered.put(name, String.valueOf(on));
        parameters.put(name, on);
        continue;
      }
      String text = orEmpty(raw);
      entered.put(name, text);
      if (text.isEmpty()) {
        continue;
      }
      JsonNode value =
          switch (control) {
            case "select" -> choice(property.getValue(), text);
            case "integer", "number" -> number(text, name, problems);
            case "json" -> json(text, name, problems);
            default -> NODES.textNode(text);
          };
      parameters.set(name, value == null ? NODES.textNode(text) : value);
    }
    return new RunFormInput(parameters, entered, problems);
  }

  /**
   * The problems of a refused trigger by the property each is about ({@code parameters.name},
   * {@code parameters.tags[0]} are both about their top-level property), with this form's own
   * problems in place of what the schema said of the same field.
   */
  Map<String, String> byField(List<FieldError> errors, JsonNode schema) {
    Map<String, String> out = new LinkedHashMap<>();
    for (FieldError e : errors) {
      out.putIfAbsent(fieldOf(e.field(), schema), e.message());
    }
    out.putAll(problems);
    out.remove("");
    return out;
  }

  /** The summary: every problem, each linking to its field when it has one. */
  static List<RunForm.Problem> summary(
      List<FieldError> errors, Map<String, String> byField, JsonNode schema) {
    List<String> names = names(schema);
    List<RunForm.Problem> out = new ArrayList<>();
    for (Map.Entry<String, String> e : byField.entrySet()) {
      int i = names.indexOf(e.getKey());
      String id = e.getKey().equals(RunForm.WHOLE) ? "in-parameters" : "in-" + i;
      out.add(new RunForm.Problem(label(e.getKey()), e.getValue(), "#" + id));
    }
    for (FieldError e : errors) {
      if (fieldOf(e.field(), schema).isEmpty()) {
        out.add(new RunForm.Problem(e.field(), e.message(), null));
      }
    }
    return out;
  }

  private static String label(String name) {
    return name.equals(RunForm.WHOLE) ? "parameters" : name;
  }

  /** The top-level property (or the whole-JSON field) a field path is about; empty for none. */
  static String fieldOf(String path, JsonNode schema) {
    List<String> names = names(schema);
    if (names.isEmpty()) {
      return path.startsWith("parameters") ? RunForm.WHOLE : "";
    }
    String best = "";
    for (String name : names) {
      String prefix = FieldPath.key("parameters", name);
      if ((path.equals(prefix) || path.startsWith(prefix + ".") || path.startsWith(prefix + "["))
          && name.length() > best.length()) {
        best = name;
      }
    }
    return best;
  }

  private static List<String> names(JsonNode schema) {
    List<String> names = new ArrayList<>();
    if (schema != null && schema.path("properties").isObject()) {
      schema.get("properties").fieldNames().forEachRemaining(names::add);
    }
    return names;
  }

  private static JsonNode choice(JsonNode schema, String text) {
    for (JsonNode v : schema.get("enum")) {
      if (RunForm.text(v).equals(text)) {
        return v;
      }
    }
    return NODES.textNode(text);
  }

  private static JsonNode number(String text, String name, Map<String, String> problems) {
    try {
      BigDecimal n = new BigDecimal(text.trim());
      try {
        return NODES.numberNode(n.longValueExact());
      } catch (ArithmeticException e) {
        return NODES.numberNode(n);
      }
    } catch (NumberFormatException e) {
      problems.put(name, "is not a number");
      return null;
    }
  }

  private static JsonNode json(String text, String name, Map<String, String> problems) {
    try {
      return Json.MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      var at = e.getLocation();
      problems.put(
          name,
          at == null
              ? "is not valid JSON"
              : "is not valid JSON (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")");
      return null;
    }
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }
}
