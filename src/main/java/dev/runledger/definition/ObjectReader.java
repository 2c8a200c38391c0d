package dev.runledger.definition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runledger.model.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the keys of one object of a definition: typed getters that report a problem under the key's
 * path instead of throwing, and {@link #rejectUnknown()} to report every key no getter asked for. A
 * missing key and an explicit {@code null} are the same.
 */
public final class ObjectReader {
  /** Names of definitions, projects and steps. */
  public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private final ObjectNode node;
  private final String path;
  private final Problems problems;
  private final Set<String> known = new HashSet<>();

  public ObjectReader(ObjectNode node, String path, Problems problems) {
    this.node = node;
    this.path = path;
    this.problems = problems;
  }

  /**
   * A reader over {@code node}, or null (with a problem at {@code path}) when it is not an object.
   */
  public static ObjectReader of(JsonNode node, String path, Problems problems) {
    if (node instanceof ObjectNode object) {
      return new ObjectReader(object, path, problems);
    }
    problems.add(path.isEmpty() ? "body" : path, "must be an object");
    return null;
  }

  public String path() {
    return path;
  }

  public ObjectNode node() {
    return node;
  }

  public Problems problems() {
    return problems;
  }

  /** The path of a key of this object. */
  public String pathOf(String key) {
    return FieldPath.key(path, key);
  }

  /** Reports a problem on a key of this object. */
  public void problem(String key, String message) {
    problems.add(pathOf(key), message);
  }

  /** Whether the key is present and not null; marks it known. */
  public boolean has(String key) {
    known.add(key);
    JsonNode value = node.get(key);
    return value != null && !value.isNull();
  }

  /** Marks keys as known without reading them. */
  public void allow(String... keys) {
    known.addAll(List.of(keys));
  }

  /** Which of these keys are present (not null), in the order given; marks them known. */
  public List<String> present(String... keys) {
    List<String> found = new ArrayList<>();
    for (String key : keys) {
      if (has(key)) {
        found.add(key);
      }
    }
    return found;
  }

  /** The raw value, or null when absent; marks the key known. */
  public JsonNode any(String key, boolean required) {
    if (!has(key)) {
      if (required) {
        problem(key, "is required");
      }
      return null;
    }
    return node.get(key);
  }

  public String string(String key, boolean required) {
    JsonNode value = any(key, required);
    if (value == null) {
      return null;
    }
    if (!value.isTextual()) {
      problem(key, "must be a string");
      return null;
    }
    return value.textValue();
  }

  /** A string that must not be empty or only whitespace. */
  public String nonBlank(String key, boolean required) {
    String value = string(key, required);
    if (value != null && value.isBlank()) {
      problem(key, "must not be empty");
      return null;
    }
    return value;
  }

  /** A name: {@code [A-Za-z0-9][A-Za-z0-9._-]{0,127}}. */
  public String name(String key, boolean required) {
    String value = string(key, required);
    if (value != null && !isName(value)) {
      problem(key, nameRule(value));
      return null;
    }
    return value;
  }

  public static boolean isName(String text) {
    return text != null && NAME.matcher(text).matches();
  }

  static String nameRule(String value) {
    return "'"
        + abbreviate(value)
        + "' is not a valid name: start with a letter or digit, then letters, digits, '.', '_' or"
        + " '-', at most 128 characters";
  }

  /** A string that must be one of {@code allowed}. */
  public String oneOf(String key, boolean required, Collection<String> allowed) {
    String value = string(key, required);
    if (value != null && !allowed.contains(value)) {
      problem(key, "'" + abbreviate(value) + "' is not one of: " + String.join(", ", allowed));
      return null;
    }
    return value;
  }

  public Boolean bool(String key, boolean required) {
    JsonNode value = any(key, required);
    if (value == null) {
      return null;
    }
    if (!value.isBoolean()) {
      problem(key, "must be true or false");
      return null;
    }
    return value.booleanValue();
  }

  /** An integer within {@code [min, max]}. */
  public Integer integer(String key, boolean required, int min, int max) {
    JsonNode value = any(key, required);
    return value == null ? null : integerValue(value, pathOf(key), min, max);
  }

  private Integer integerValue(JsonNode value, String field, int min, int max) {
    if (!isIntegral(value)) {
      problems.add(field, "must be an integer");
      return null;
    }
    if (!value.canConvertToLong() || value.longValue() < min || value.longValue() > max) {
      problems.add(field, "must be between " + min + " and " + max);
      return null;
    }
    return (int) value.longValue();
  }

  private static boolean isIntegral(JsonNode value) {
    if (value.isIntegralNumber()) {
      return true;
    }
    // 2.0 is an integer in JSON Schema's sense too
    if (value.isBigDecimal()) {
      return value.decimalValue().stripTrailingZeros().scale() <= 0;
    }
    return value.isNumber() && value.doubleValue() == Math.rint(value.doubleValue());
  }

  /** A duration as {@link Durations} reads it ({@code 500ms}, {@code 30s}, {@code 10m}...). */
  public Duration duration(String key, boolean required) {
    String value = string(key, required);
    if (value == null) {
      return null;
    }
    try {
      return Durations.parse(value);
    } catch (IllegalArgumentException e) {
      problem(key, e.getMessage());
      return null;
    }
  }

  /** A nested object's reader, or null when absent or not an object (reported). */
  public ObjectReader object(String key, boolean required) {
    JsonNode value = any(key, required);
    if (value == null) {
      return null;
    }
    if (!(value instanceof ObjectNode object)) {
      problem(key, "must be an object");
      return null;
    }
    return new ObjectReader(object, pathOf(key), problems);
  }

  /** The elements of an array, or null when absent or not an array (reported). */
  public List<JsonNode> array(String key, boolean required, boolean nonEmpty) {
    JsonNode value = any(key, required);
    if (value == null) {
      return null;
    }
    if (!value.isArray()) {
      problem(key, "must be a list");
      return null;
    }
    if (nonEmpty && value.isEmpty()) {
      problem(key, "must not be empty");
    }
    List<JsonNode> items = new ArrayList<>(value.size());
    value.forEach(items::add);
    return items;
  }

  /** A list of strings; a non-string element is reported at its index. */
  public List<String> strings(String key, boolean required, boolean nonEmpty) {
    List<JsonNode> items = array(key, required, nonEmpty);
    if (items == null) {
      return null;
    }
    List<String> values = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      if (items.get(i).isTextual()) {
        values.add(items.get(i).textValue());
      } else {
        problems.add(FieldPath.index(pathOf(key), i), "must be a string");
      }
    }
    return values;
  }

  /** A list of integers within {@code [min, max]}; a bad element is reported at its index. */
  public List<Integer> integers(String key, boolean required, boolean nonEmpty, int min, int max) {
    List<JsonNode> items = array(key, required, nonEmpty);
    if (items == null) {
      return null;
    }
    List<Integer> values = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      Integer value = integerValue(items.get(i), FieldPath.index(pathOf(key), i), min, max);
      if (value != null) {
        values.add(value);
      }
    }
    return values;
  }

  /** A list of objects; each element's reader has the path {@code key[i]}. */
  public List<ObjectReader> objects(String key, boolean required, boolean nonEmpty) {
    List<JsonNode> items = array(key, required, nonEmpty);
    if (items == null) {
      return null;
    }
    List<ObjectReader> readers = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      ObjectReader reader = of(items.get(i), FieldPath.index(pathOf(key), i), problems);
      if (reader != null) {
        readers.add(reader);
      }
    }
    return readers;
  }

  /**
   * A map of strings to strings.
   *
   * @param keyPattern the form its keys must have, or null for any
   * @param keyRule what to say when a key does not match
   */
  public Map<String, String> stringMap(
      String key, boolean required, Pattern keyPattern, String keyRule) {
    ObjectReader map = object(key, required);
    if (map == null) {
      return null;
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = map.node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      String field = map.pathOf(entry.getKey());
      if (keyPattern != null && !keyPattern.matcher(entry.getKey()).matches()) {
        problems.add(field, keyRule);
      } else if (!entry.getValue().isTextual()) {
        problems.add(field, "must be a string");
      } else {
        values.put(entry.getKey(), entry.getValue().textValue());
      }
    }
    return values;
  }

  /** Reports every key that no getter asked for, as "unknown key" under its path. */
  public void rejectUnknown() {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!known.contains(key)) {
        problem(key, "unknown key");
      }
    }
  }

  static String abbreviate(String text) {
    return text.length() <= 80 ? text : text.substring(0, 77) + "...";
  }
}
