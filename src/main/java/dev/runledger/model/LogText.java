package dev.runledger.model;

/**
 * A log line as shown to people (the text log, the CLI): control characters are written as visible
 * escapes ({@code \x1b}, {@code \r}, {@code \u2028}), so that a command's output cannot move a
 * terminal's cursor, ring its bell, recolour it, start what looks like another line or reorder its
 * text with bidirectional overrides. A tab stays a tab.
 */
public final class LogText {
  private LogText() {}

  /** The line with every control character (C0 but tab, DEL, C1, line separators) escaped. */
  public static String visible(String line) {
    if (line == null) {
      return "";
    }
    int i = 0;
    while (i < line.length() && !isControl(line.charAt(i))) {
      i++;
    }
    if (i == line.length()) {
      return line;
    }
    StringBuilder out = new StringBuilder(line.length() + 8).append(line, 0, i);
    for (; i < line.length(); i++) {
      char c = line.charAt(i);
      if (!isControl(c)) {
        out.append(c);
      } else if (c == '\n') {
        out.append("\\n");
      } else if (c == '\r') {
        out.append("\\r");
      } else if (c <= 0xff) {
        out.append("\\x")
            .append(Character.forDigit(c >> 4, 16))
            .append(Character.forDigit(c & 15, 16));
      } else {
        out.append("\\u").append(Integer.toHexString(c));
      }
    }
    return out.toString();
  }

  private static boolean isControl(char c) {
    return (c < 0x20 && c != '\t')
        || (c >= 0x7f && c <= 0x9f)
        || c == 0x2028
        || c == 0x2029
        || isBidiControl(c);
  }

  /**
   * The Unicode bidirectional controls (embeddings, overrides, isolates, marks): shown as escapes,
   * so that a line cannot display in another order than it reads ("Trojan Source").
   */
  private static boolean isBidiControl(char c) {
    return (c >= 0x202a && c <= 0x202e)
        || (c >= 0x2066 && c <= 0x2069)
        || c == 0x200e
        || c == 0x200f
        || c == 0x061c;
  }
}
