package dev.runledger.engine;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.function.UnaryOperator;

/** Replaces every secret value in a text with {@code ***}. */
final class SecretMask implements UnaryOperator<String> {
  /** Values shorter than this are not masked: masking "a" would mangle every line. */
  static final int MIN_LENGTH = 3;

  private final List<String> values;

  SecretMask(Collection<String> secretValues) {
    this.values =
        secretValues.stream()
            .filter(v -> v != null && v.length() >= MIN_LENGTH)
            .sorted(Comparator.comparingInt(String::length).reversed())
            .toList();
  }

  @Override
  public String apply(String text) {
    if (text == null || values.isEmpty()) {
      return text;
    }
    String out = text;
    for (String v : values) {
      out = out.replace(v, "***");
    }
    return out;
  }
}
