package dev.runledger.model;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a YAML stream into its documents ({@code ---} separated), each as text of its own that
 * parses to the same value it had in the stream.
 *
 * <p>Splitting by lines is exact for YAML: a line that starts with {@code ---} or {@code ...}
 * followed by a space, a tab or its end is a document marker wherever it stands, never part of a
 * scalar (YAML 1.2, "c-forbidden"). Each document's text is preceded by as many empty lines as came
 * before it in the file, so that a parser's "line N" is the line of the file.
 */
public final class YamlDocuments {
  private YamlDocuments() {}

  /**
   * One document of a stream.
   *
   * @param line the file's line (from 1) where the document starts
   * @param text the document, padded with empty lines to start at {@code line}
   */
  public record Document(int line, String text) {}

  /**
   * The documents of {@code text} that hold anything besides comments and markers; a text without
   * markers is one document, returned as it is.
   */
  public static List<Document> split(String text) {
    List<Document> documents = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    int start = 1;
    boolean content = false;
    boolean marked = false; // the current document has its own --- line
    int lineNumber = 0;
    int from = 0;
    while (from < text.length()) {
      int newline = text.indexOf('\n', from);
      int end = newline < 0 ? text.length() : newline + 1;
      String line = text.substring(from, end);
      lineNumber++;
      from = end;
      if (isMarker(line, "---")) {
        if (content) {
          documents.add(document(start, current));
        }
        if (content || marked) {
          // a new document; one that held nothing (comments, a bare marker) is dropped
          current.setLength(0);
          start = lineNumber;
          content = false;
        }
        marked = true;
      }
      current.append(line);
      if (isMarker(line, "...")) {
        if (content) {
          documents.add(document(start, current));
        }
        current.setLength(0);
        start = lineNumber + 1;
        content = false;
        marked = false;
      } else if (holdsContent(line)) {
        content = true;
      }
    }
    if (content) {
      documents.add(document(start, current));
    }
    return documents;
  }

  private static Document document(int start, CharSequence text) {
    return new Document(start, "\n".repeat(start - 1) + text);
  }

  private static boolean isMarker(String line, String marker) {
    if (!line.startsWith(marker)) {
      return false;
    }
    if (line.length() == marker.length()) {
      return true;
    }
    char next = line.charAt(marker.length());
    return next == ' ' || next == '\t' || next == '\r' || next == '\n';
  }

  /** Anything but blank lines, comments, directives and bare markers ({@code --- # x} too). */
  private static boolean holdsContent(String line) {
    boolean marker = isMarker(line, "---");
    if (!marker && line.startsWith("%")) {
      return false;
    }
    String stripped = (marker ? line.substring(3) : line).strip();
    return !stripped.isEmpty() && !stripped.startsWith("#");
  }
}
