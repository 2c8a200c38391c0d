package dev.runledger.web;

import dev.runledger.model.LogText;
import java.util.ArrayList;
import java.util.List;

/**
 * A log line's ANSI colours as spans a page can show safely: SGR sequences ({@code ESC [ ... m})
 * become classes from a fixed set (bold, dim, italic, underline, eight foreground and background
 * colours); every other escape sequence is dropped; any control character left (and bidirectional
 * overrides) is shown as a visible escape by {@link LogText#visible}. The text itself is escaped by
 * the template, so a line is never markup.
 */
public final class AnsiLine {
  /** A run of text with the classes of its style ("" for none). */
  public record Segment(String text, String css) {}

  private AnsiLine() {}

  public static List<Segment> segments(String line) {
    List<Segment> out = new ArrayList<>();
    if (line == null || line.isEmpty()) {
      return out;
    }
    Style style = new Style();
    StringBuilder text = new StringBuilder();
    int i = 0;
    int n = line.length();
    while (i < n) {
      char c = line.charAt(i);
      if (c == 0x1b && i + 1 < n && line.charAt(i + 1) == '[') {
        int j = i + 2;
        while (j < n && line.charAt(j) >= 0x30 && line.charAt(j) <= 0x3f) {
          j++;
        }
        while (j < n && line.charAt(j) >= 0x20 && line.charAt(j) <= 0x2f) {
          j++;
        }
        if (j < n && line.charAt(j) >= 0x40 && line.charAt(j) <= 0x7e) {
          if (line.charAt(j) == 'm') {
            flush(out, text, style);
            style.apply(line.substring(i + 2, j));
          }
          i = j + 1;
          continue;
        }
      } else if (c == 0x1b && i + 1 < n && line.charAt(i + 1) == ']') {
        // an operating system command (a title, a hyperlink): dropped up to BEL or ESC \
        int j = i + 2;
        while (j < n && line.charAt(j) != 0x07 && !(line.charAt(j) == 0x1b)) {
          j++;
        }
        i = j < n && line.charAt(j) == 0x1b ? Math.min(n, j + 2) : Math.min(n, j + 1);
        continue;
      }
      text.append(c);
      i++;
    }
    flush(out, text, style);
    return out;
  }

  private static void flush(List<Segment> out, StringBuilder text, Style style) {
    if (text.length() > 0) {
      out.add(new Segment(LogText.visible(text.toString()), style.css()));
      text.setLength(0);
    }
  }

  private static final class Style {
    boolean bold;
    boolean dim;
    boolean italic;
    boolean underline;
    int fg = -1;
    int bg = -1;

    void apply(String params) {
      if (params.isEmpty()) {
        reset();
        return;
      }
      String[] parts = params.split("[;:]");
      for (int k = 0; k < parts.length; k++) {
        int code;
        try {
          code = parts[k].isEmpty() ? 0 : Integer.parseInt(parts[k]);
        } catch (NumberFormatException e) {
          continue;
        }
        if (code == 38 || code == 48) {
          // 256-colour and true-colour forms: shown in the default colour, their numbers skipped
          k += k + 1 < parts.length && parts[k + 1].equals("5") ? 2 : 4;
          continue;
        }
        switch (code) {
          case 0 -> reset();
          case 1 -> bold = true;
          case 2 -> dim = true;
          case 3 -> italic = true;
          case 4 -> underline = true;
          case 22 -> {
            bold = false;
            dim = false;
          }
          case 23 -> italic = false;
          case 24 -> underline = false;
          case 39 -> fg = -1;
          case 49 -> bg = -1;
          default -> {
            if (code >= 30 && code <= 37) {
              fg = code - 30;
            } else if (code >= 90 && code <= 97) {
              fg = code - 90;
            } else if (code >= 40 && code <= 47) {
              bg = code - 40;
            } else if (code >= 100 && code <= 107) {
              bg = code - 100;
            }
          }
        }
      }
    }

    void reset() {
      bold = false;
      dim = false;
      italic = false;
      underline = false;
      fg = -1;
      bg = -1;
    }

    String css() {
      StringBuilder b = new StringBuilder();
      if (bold) b.append("ansi-bold ");
      if (dim) b.append("ansi-dim ");
      if (italic) b.append("ansi-italic ");
      if (underline) b.append("ansi-underline ");
      if (fg >= 0) b.append("ansi-fg-").append(fg).append(' ');
      if (bg >= 0) b.append("ansi-bg-").append(bg).append(' ');
      return b.toString().trim();
    }
  }
}
