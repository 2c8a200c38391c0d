package dev.runledger.definition;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a string into literal text and "${{ expr }}" expressions. The closing "}}" is found
 * outside string literals and map braces, so "${{ {'a': {'b': 1}} }}" is one expression.
 */
final class TemplateSyntax {
  static final String OPEN = "${{";
  static final String CLOSE = "}}";

  /**
   * One part of a template.
   *
   * @param expression null for literal text; otherwise the expression, trimmed
   * @param text the literal text, or the whole {@code ${{ ... }}} as written
   */
  record Part(String text, String expression) {
    boolean isExpression() {
      return expression != null;
    }
  }

  private TemplateSyntax() {}

  static boolean hasExpression(String text) {
    return text != null && text.contains(OPEN);
  }

  /**
   * Splits a template.
   *
   * @throws ExpressionException when an opening "${{" has no closing "}}"
   */
  static List<Part> parse(String text) {
    List<Part> parts = new ArrayList<>();
    int from = 0;
    while (true) {
      int open = text.indexOf(OPEN, from);
      if (open < 0) {
        if (from < text.length()) {
          parts.add(new Part(text.substring(from), null));
        }
        return parts;
      }
      if (open > from) {
        parts.add(new Part(text.substring(from, open), null));
      }
      int close = findClose(text, open + OPEN.length());
      if (close < 0) {
        throw new ExpressionException(
            "in `"
                + ObjectReader.abbreviate(text.substring(open))
                + "`: '${{' has no matching '}}'");
      }
      String whole = text.substring(open, close + CLOSE.length());
      parts.add(new Part(whole, text.substring(open + OPEN.length(), close).strip()));
      from = close + CLOSE.length();
    }
  }

  /** The index of the closing braces, or -1. */
  private static int findClose(String text, int start) {
    int depth = 0;
    int i = start;
    int n = text.length();
    while (i < n) {
      char c = text.charAt(i);
      if (c == '\'' || c == '"') {
        boolean raw = i > start && (text.charAt(i - 1) == 'r' || text.charAt(i - 1) == 'R');
        i = skipString(text, i, raw);
        continue;
      }
      if (c == '{') {
        depth++;
      } else if (c == '}') {
        if (depth == 0 && i + 1 < n && text.charAt(i + 1) == '}') {
          return i;
        }
        if (depth > 0) {
          depth--;
        }
      }
      i++;
    }
    return -1;
  }

  /** The index just after the string literal that starts at {@code i} (or the end of text). */
  private static int skipString(String text, int i, boolean raw) {
    char quote = text.charAt(i);
    String triple = String.valueOf(quote).repeat(3);
    boolean isTriple = text.startsWith(triple, i);
    int j = i + (isTriple ? 3 : 1);
    int n = text.length();
    while (j < n) {
      char c = text.charAt(j);
      if (c == '\\' && !raw) {
        j += 2;
        continue;
      }
      if (isTriple ? text.startsWith(triple, j) : c == quote) {
        return j + (isTriple ? 3 : 1);
      }
      if (!isTriple && c == '\n') {
        return j; // an unterminated literal; let the CEL parser say so
      }
      j++;
    }
    return n;
  }
}
