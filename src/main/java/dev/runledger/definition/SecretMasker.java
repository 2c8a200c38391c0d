package dev.runledger.definition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
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
 * Each value is also masked in its JSON-escaped form, as it appears inside a serialized body; in
 * its base64 forms (standard and URL-safe, padded or not, and inside a longer base64 text at any of
 * the three byte alignments, as in {@code base64("user:" + secret)}); in its URL-encoded forms
 * ({@code +} or {@code %20} for spaces, upper- or lower-case hex); and, for a value of several
 * lines, line by line, so that a value printed across log lines is masked on each of them.
 *
 * <p>Values shorter than {@value #MIN_LENGTH} characters (or only whitespace) are not masked:
 * masking "1" or "ab" would garble every log while protecting nothing a guess would not find.
 */
public final class SecretMasker {
  /** Shortest value that is masked. */
  public static final int MIN_LENGTH = 3;

  public static final String MASK = "***";

  /** Shortest base64 fragment masked: shorter ones would match ordinary text by chance. */
  private static final int BASE64_MIN = 4;

  /** A masker with no secrets. */
  public static final SecretMasker NONE = new SecretMasker(List.of());

  /** Candidates by first character, longest first. */
  private final Map<Character, List<String>> byFirstChar = new HashMap<>();

  /** The length of the longest candidate. */
  private final int longest;

  public SecretMasker(Collection<String> secretValues) {
    Set<String> values = new LinkedHashSet<>();
    for (String value : secretValues) {
      if (value != null && value.length() >= MIN_LENGTH && !value.isBlank()) {
        values.addAll(forms(value));
        if (value.contains("\n") || value.contains("\r")) {
          for (String line : value.split("\\R")) {
            String trimmed = line.strip();
            if (trimmed.length() >= MIN_LENGTH) {
              values.addAll(forms(trimmed));
            }
          }
        }
      }
    }
    List<String> sorted = new ArrayList<>(values);
    sorted.sort(Comparator.comparingInt(String::length).reversed());
    longest = sorted.isEmpty() ? 0 : sorted.get(0).length();
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
      String match = secretAt(text, i);
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

  /**
   * Masks the start of a text that goes on past its end (a long line read in pieces): appends to
   * {@code out} the masked text up to where a secret could still continue into what follows, and
   * returns how many characters of {@code text} that covers. Masking the rest together with what
   * follows gives the same result as masking the whole line at once, so no secret is cut in two.
   */
  public int maskLeading(String text, StringBuilder out) {
    // A secret that starts before this position ends within the text.
    int settled = Math.min(text.length(), text.length() - longest + 1);
    int copiedUpTo = 0;
    int i = 0;
    while (i < settled) {
      String match = secretAt(text, i);
      if (match == null) {
        i++;
        continue;
      }
      out.append(text, copiedUpTo, i).append(MASK);
      i += match.length();
      copiedUpTo = i;
    }
    out.append(text, copiedUpTo, i);
    return i;
  }

  /** The longest secret form that starts at {@code i}, or null. */
  private String secretAt(String text, int i) {
    List<String> candidates = byFirstChar.get(text.charAt(i));
    if (candidates != null) {
      for (String candidate : candidates) {
        if (text.startsWith(candidate, i)) {
          return candidate;
        }
      }
    }
    return null;
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

  /** The value as written and in each encoded form it may take in a log or a body. */
  static Set<String> forms(String value) {
    Set<String> forms = new LinkedHashSet<>();
    forms.add(value);
    forms.add(jsonEscaped(value));
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    for (Base64.Encoder encoder : List.of(Base64.getEncoder(), Base64.getUrlEncoder())) {
      String padded = encoder.encodeToString(bytes);
      forms.add(padded);
      forms.add(padded.replace("=", ""));
      // Inside a longer base64 text the value starts at byte offset 0, 1 or 2 of a 3-byte group;
      // the characters that depend only on the value's bytes are the same whatever surrounds it.
      for (int offset = 1; offset <= 2; offset++) {
        byte[] shifted = new byte[offset + bytes.length];
        System.arraycopy(bytes, 0, shifted, offset, bytes.length);
        String encoded = encoder.withoutPadding().encodeToString(shifted);
        int from = (offset * 8 + 5) / 6;
        int to = ((offset + bytes.length) * 8) / 6;
        if (to - from >= BASE64_MIN) {
          forms.add(encoded.substring(from, to));
        }
      }
      String unaligned = encoder.withoutPadding().encodeToString(bytes);
      int full = (bytes.length * 8) / 6;
      if (full >= BASE64_MIN) {
        forms.add(unaligned.substring(0, full));
      }
    }
    String plus = URLEncoder.encode(value, StandardCharsets.UTF_8);
    forms.add(plus);
    forms.add(plus.replace("+", "%20"));
    for (String f : List.of(plus, plus.replace("+", "%20"))) {
      forms.add(lowerHex(f));
    }
    forms.removeIf(f -> f.length() < MIN_LENGTH);
    return forms;
  }

  private static String lowerHex(String urlEncoded) {
    StringBuilder out = new StringBuilder(urlEncoded.length());
    for (int i = 0; i < urlEncoded.length(); i++) {
      char c = urlEncoded.charAt(i);
      out.append(c);
      if (c == '%' && i + 2 < urlEncoded.length()) {
        out.append(Character.toLowerCase(urlEncoded.charAt(i + 1)));
        out.append(Character.toLowerCase(urlEncoded.charAt(i + 2)));
        i += 2;
      }
    }
    return out.toString();
  }

  private static String jsonEscaped(String value) {
    String quoted = JsonNodeFactory.instance.textNode(value).toString();
    return quoted.substring(1, quoted.length() - 1);
  }
}
