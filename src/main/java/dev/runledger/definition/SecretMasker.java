package dev.runledger.definition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Replaces every occurrence of secret values with {@code ***}, in text and in JSON trees (values
 * and keys). Longer values are matched first, so a secret that contains another is masked whole.
 * Each value is also masked in its JSON-escaped form, as it appears inside a serialized body.
 *
 * <p>Values shorter than {@value #MIN_LENGTH} characters (or only whitespace) are not masked:
 * masking "1" or "ab" would garble every log while protecting nothing a guess would not find.
 */
public final class SecretMasker {
  /** Shortest value that is masked. */
  public static final int MIN_LENGTH = 3;

  public static final String MASK = "***";

  /** A masker with no secrets. */
  public static final SecretMasker NONE = new SecretMasker(List.of());

  /** Candidates by first character, longest first. */
  private final Map<Character, List<String>> byFirstChar = new HashMap<>();

  public SecretMasker(Collection<String> secretValues) {
    Set<String> values = new LinkedHashSet<>();
    for (String value : secretValues) {
      if (value != null && value.length() >= MIN_LENGTH && !value.isBlank()) {
        values.add(value);
        String escaped = jsonEscaped(value);
        if (!escaped.equals(value)) {
          values.add(escaped);
        }
      }
    }
    List<String> sorted = new ArrayList<>(values);
    sorted.sort(Comparator.comparingInt(String::length).reversed());
    for (String value : sorted) {
      byFirstChar.computeIfAbsent(value.charAt(0), c -> new ArrayList<>()).add(value);
    }
  }

  public boolean isEmpty() {
    return byFirstChar.isEmpty();
  }

  /** The text with every secret value replaced by {@code ***}. */
  public String mask(String text) {
    if (text == null || byFirstChar.isEmpty()) {
      return text;
    }
    StringBuilder out = null;
    int copiedUpTo = 0;
    int i = 0;
    int n = text.length();
    while (i < n) {
      List<String> candidates = byFirstChar.get(text.charAt(i));
      String match = null;
      if (candidates != null) {
        for (String candidate : candidates) {
          if (text.startsWith(candidate, i)) {
            match = candidate;
            break;
          }
        }
      }
      if (match == null) {
        i++;
        continue;
      }
      if (out == null) {
        out = new StringBuilder(n);
      }
      out.append(text, copiedUpTo, i).append(MASK);
      i += match.length();
      copiedUpTo = i;
    }
    if (out == null) {
      return text;
    }
    return out.append(text, copiedUpTo, n).toString();
  }

  /** A copy of the tree with secrets masked in every string and key (the same tree if none). */
  public JsonNode mask(JsonNode node) {
    if (node == null || byFirstChar.isEmpty()) {
      return node;
    }
    if (node.isTextual()) {
      String masked = mask(node.textValue());
      return masked.equals(node.textValue()) ? node : TextNode.valueOf(masked);
    }
    if (node.isObject()) {
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        out.set(mask(field.getKey()), mask(field.getValue()));
      }
      return out;
    }
    if (node.isArray()) {
      ArrayNode out = JsonNodeFactory.instance.arrayNode(node.size());
      node.forEach(item -> out.add(mask(item)));
      return out;
    }
    return node;
  }

  private static String jsonEscaped(String value) {
    String quoted = JsonNodeFactory.instance.textNode(value).toString();
    return quoted.substring(1, quoted.length() - 1);
  }
}
