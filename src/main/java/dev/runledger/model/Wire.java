package dev.runledger.model;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Parses the lower-case, hyphenated wire names of enums. */
final class Wire {
  private Wire() {}

  static <E extends Enum<E>> E parse(Class<E> type, String value) {
    for (E constant : type.getEnumConstants()) {
      if (constant.name().replace('_', '-').equalsIgnoreCase(value)) {
        return constant;
      }
    }
    String allowed =
        Arrays.stream(type.getEnumConstants())
            .map(c -> c.name().replace('_', '-').toLowerCase(java.util.Locale.ROOT))
            .collect(Collectors.joining(", "));
    throw new IllegalArgumentException("'" + value + "' is not one of: " + allowed);
  }
}
