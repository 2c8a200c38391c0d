package dev.runledger.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Query parameters in the order they were added; {@code null} values are left out. */
final class Query {
  private final Map<String, List<String>> params = new LinkedHashMap<>();

  static Query of() {
    return new Query();
  }

  Query add(String name, Object value) {
    if (value != null && !(value instanceof String s && s.isEmpty())) {
      params.computeIfAbsent(name, k -> new ArrayList<>()).add(String.valueOf(value));
    }
    return this;
  }

  Query addAll(String name, Collection<?> values) {
    if (values != null) {
      values.forEach(v -> add(name, v));
    }
    return this;
  }

  boolean has(String name) {
    return params.containsKey(name);
  }

  String encode() {
    return params.entrySet().stream()
        .flatMap(e -> e.getValue().stream().map(v -> encode(e.getKey()) + "=" + encode(v)))
        .collect(Collectors.joining("&"));
  }

  static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** One path segment, percent-encoded (task names carry brackets, for example). */
  static String segment(String s) {
    return encode(s);
  }
}
