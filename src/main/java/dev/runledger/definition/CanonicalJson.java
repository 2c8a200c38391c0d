package dev.runledger.definition;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Canonical JSON text: object keys sorted (by UTF-16 code units) at every level, no whitespace,
 * numbers normalized ({@code 1.0} and {@code 1} are both {@code 1}, {@code 0.50} is {@code 0.5}),
 * strings escaped one way only.
 *
 * <p>Numbers are normalized as exact decimals (trailing zeros stripped); integral values with up to
 * 64 digits are written in full, anything else in {@link BigDecimal#toString()} form (for example
 * {@code 1.5E-7}). This is not RFC 8785: definitions parse floats as exact decimals, so the form
 * does not depend on how a JVM formats doubles.
 */
public final class CanonicalJson {
  private static final int MAX_PLAIN_DIGITS = 64;
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private CanonicalJson() {}

  /**
   * The canonical text of a tree.
   *
   * @throws IllegalArgumentException for values JSON cannot hold (NaN, infinities, Java objects)
   */
  public static String write(JsonNode node) {
    StringBuilder out = new StringBuilder(256);
    write(node, out);
    return out.toString();
  }

  private static void write(JsonNode node, StringBuilder out) {
    switch (node.getNodeType()) {
      case OBJECT -> {
        List<Map.Entry<String, JsonNode>> fields = new ArrayList<>(node.size());
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
          fields.add(it.next());
        }
        fields.sort(Map.Entry.comparingByKey());
        out.append('{');
        for (int i = 0; i < fields.size(); i++) {
          if (i > 0) {
            out.append(',');
          }
          string(fields.get(i).getKey(), out);
          out.append(':');
          write(fields.get(i).getValue(), out);
        }
        out.append('}');
      }
      case ARRAY -> {
        out.append('[');
        for (int i = 0; i < node.size(); i++) {
          if (i > 0) {
            out.append(',');
          }
          write(node.get(i), out);
        }
        out.append(']');
      }
      case STRING -> string(node.textValue(), out);
      case NUMBER -> out.append(number(node));
      case BOOLEAN -> out.append(node.booleanValue());
      case NULL -> out.append("null");
      case BINARY -> string(Base64.getEncoder().encodeToString(binary(node)), out);
      default ->
          throw new IllegalArgumentException(
              "cannot write a " + node.getNodeType() + " node as canonical JSON");
    }
  }

  private static byte[] binary(JsonNode node) {
    try {
      return node.binaryValue();
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("unreadable binary node", e);
    }
  }

  /** The canonical form of a number node. */
  static String number(JsonNode node) {
    BigDecimal value;
    if (node.isIntegralNumber()) {
      value = new BigDecimal(node.bigIntegerValue());
    } else if (node.isBigDecimal()) {
      value = node.decimalValue();
    } else {
      double d = node.doubleValue();
      if (!Double.isFinite(d)) {
        throw new IllegalArgumentException("JSON has no representation for " + d);
      }
      value = BigDecimal.valueOf(d);
    }
    return number(value);
  }

  /** The canonical form of an exact decimal. */
  static String number(BigDecimal value) {
    if (value.signum() == 0) {
      return "0";
    }
    BigDecimal stripped = value.stripTrailingZeros();
    if (stripped.scale() <= 0 && stripped.precision() - stripped.scale() <= MAX_PLAIN_DIGITS) {
      return stripped.toPlainString();
    }
    return stripped.toString();
  }

  private static void string(String s, StringBuilder out) {
    out.append('"');
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c < 0x20 || isLoneSurrogate(s, i)) {
            // lone surrogates cannot be encoded as UTF-8; escaping keeps them distinct
            out.append("\\u")
                .append(HEX[(c >> 12) & 0xF])
                .append(HEX[(c >> 8) & 0xF])
                .append(HEX[(c >> 4) & 0xF])
                .append(HEX[c & 0xF]);
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  private static boolean isLoneSurrogate(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
    }
    if (Character.isLowSurrogate(c)) {
      return i == 0 || !Character.isHighSurrogate(s.charAt(i - 1));
    }
    return false;
  }
}
