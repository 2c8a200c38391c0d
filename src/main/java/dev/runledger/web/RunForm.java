package dev.runledger.web;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Run form of a definition, made from its {@code inputs} JSON Schema: one control per property
 * (a text, number or checkbox input, a select for an enum, a JSON textarea for objects and lists),
 * defaults filled in, required ones marked, and after a refused submission the values entered with
 * each problem next to its field and all of them in a summary.
 *
 * @param action where the form posts
 * @param fields the controls, in the schema's order
 * @param problems every problem of the last submission, for the summary at the top
 */
public record RunForm(String action, List<Field> fields, List<Problem> problems) {
  /** The name of the one JSON textarea of a schema that has no properties to make fields of. */
  static final String WHOLE = "_parameters";

  /** The prefix of each field's name in the posted form (keeps them apart from {@code _csrf}). */
  static final String PREFIX = "in.";

  /**
   * One control.
   *
   * @param control {@code text}, {@code integer}, {@code number}, {@code checkbox}, {@code select}
   *     or {@code json}
   * @param value what the control holds (the default, or what was entered)
   * @param error the problem of the last submission with this field, or null
   */
  public record Field(
      String name,
      String id,
      String label,
      String control,
      String value,
      List<Option> options,
      boolean required,
      String help,
      String error,
      String min,
      String max) {

    public String inputName() {
      return PREFIX + name;
    }

    public String helpId() {
      return help == null ? null : id + "-help";
    }

    public String errorId() {
      return error == null ? null : id + "-error";
    }

    /** The ids of the help text and the error, for {@code aria-describedby}; null when neither. */
    public String describedBy() {
      String both = String.join(" ", nonNull(helpId(), errorId()));
      return both.isEmpty() ? null : both;
    }

    public boolean checked() {
      return "true".equals(value);
    }

    public String step() {
      return control.equals("integer") ? "1" : "any";
    }

    private static List<String> nonNull(String a, String b) {
      List<String> out = new ArrayList<>();
      if (a != null) {
        out.add(a);
      }
      if (b != null) {
        out.add(b);
      }
      return out;
    }
  }

  /** One entry of a select. */
  public record Option(String value, String label, boolean selected) {}

  /** One problem in the summary, linking to its field when it has one. */
  public record Problem(String field, String message, String href) {}

  public boolean hasProblems() {
    return !problems.isEmpty();
  }

  /** A form with the schema's defaults. */
  static RunForm fresh(String action, JsonNode schema) {
    return of(action, schema, null, Map.of(), List.of());
  }

  /**
   * A form as submitted.
   *
   * @param entered what was entered, by property name (null: a fresh form with the defaults)
   * @param errors the problem of each field, by property name
   * @param problems every problem, for the summary
   */
  static RunForm of(
      String action,
      JsonNode schema,
      Map<String, String> entered,
      Map<String, String> errors,
      List<Problem> problems) {
    List<Field> fields = new ArrayList<>();
    if (schema == null || schema.isNull() || schema.isMissingNode()) {
      return new RunForm(action, fields, problems);
    }
    JsonNode properties = schema.get("properties");
    if (properties == null || !properties.isObject() || properties.isEmpty()) {
      fields.add(
          new Field(
              WHOLE,
              "in-parameters",
              "Parameters (JSON object)",
              "json",
              entered == null ? "{}" : entered.getOrDefault(WHOLE, ""),
              List.of(),
              false,
              "The run's parameters as one JSON object.",
              errors.get(WHOLE),
              null,
              null));
      return new RunForm(action, fields, problems);
    }
    Set<String> required = new HashSet<>();
    schema.path("required").forEach(n -> required.add(n.asText()));
    int i = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); i++) {
      Map.Entry<String, JsonNode> property = it.next();
      String name = property.getKey();
      JsonNode p = property.getValue();
      String control = control(p);
      String value = entered == null ? initial(p, control) : entered.getOrDefault(name, "");
      fields.add(
          new Field(
              name,
              "in-" + i,
              p.hasNonNull("title") ? p.get("title").asText() : name,
              control,
              value,
              control.equals("select") ? options(p, value, required.contains(name)) : List.of(),
              required.contains(name),
              help(p, control),
              errors.get(name),
              bound(p, "minimum"),
              bound(p, "maximum")));
    }
    return new RunForm(action, fields, problems);
  }

  /** The control that fits a property's schema. */
  static String control(JsonNode p) {
    if (p.path("enum").isArray() && !p.get("enum").isEmpty()) {
      return "select";
    }
    return switch (type(p)) {
      case "string" -> "text";
      case "integer" -> "integer";
      case "number" -> "number";
      case "boolean" -> "checkbox";
      default -> "json";
    };
  }

  /** The property's type; of a list of types, the first that is not {@code null}. */
  static String type(JsonNode p) {
    JsonNode type = p.get("type");
    if (type != null && type.isArray()) {
      for (JsonNode t : type) {
        if (!t.asText().equals("null")) {
          return t.asText();
        }
      }
    }
    return type == null ? "" : type.asText();
  }

  private static String initial(JsonNode p, String control) {
    JsonNode d = p.get("default");
    if (d == null || d.isNull()) {
      return control.equals("checkbox") ? "false" : "";
    }
    return control.equals("json") ? Formats.json(d) : text(d);
  }

  /** A scalar as a form holds it; a list or object as JSON. */
  static String text(JsonNode v) {
    return v.isValueNode() ? v.asText() : v.toString();
  }

  private static List<Option> options(JsonNode p, String value, boolean required) {
    List<Option> out = new ArrayList<>();
    if (!required || value.isEmpty()) {
      out.add(new Option("", required ? "Choose one" : "(none)", value.isEmpty()));
    }
    for (JsonNode v : p.get("enum")) {
      String t = text(v);
      out.add(new Option(t, t, t.equals(value)));
    }
    return out;
  }

  private static String help(JsonNode p, String control) {
    String description = p.hasNonNull("description") ? p.get("description").asText() : null;
    if (!control.equals("json")) {
      return description;
    }
    String json = "JSON " + (type(p).equals("array") ? "list" : "value");
    return description == null ? json + "." : description + " (" + json + ")";
  }

  private static String bound(JsonNode p, String key) {
    return p.path(key).isNumber() ? p.get(key).asText() : null;
  }
}
