package dev.runledger.definition;

import java.util.regex.Pattern;

/**
 * Builds field paths as errors name them: {@code http.url}, {@code command.run[2]}, and {@code
 * http.headers["X.Y"]} for keys that are not plain words.
 */
public final class FieldPath {
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$-]*");

  private FieldPath() {}

  /** The path of {@code key} inside {@code parent} (empty for the top level). */
  public static String key(String parent, String key) {
    if (PLAIN.matcher(key).matches()) {
      return parent.isEmpty() ? key : parent + "." + key;
    }
    String quoted = "[\"" + key.replace("\\", "\\\\").replace("\"", "\\\"") + "\"]";
    return parent + quoted;
  }

  /** The path of element {@code index} of the array at {@code parent}. */
  public static String index(String parent, int index) {
    return parent + "[" + index + "]";
  }
}
