package dev.runledger.executor;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Artifact names: relative, forward-slash paths inside an attempt's working directory. Every form
 * of escaping it is refused: absolute paths, {@code ..} segments, backslashes, NUL and other
 * control characters, drive letters, and the same hidden behind percent-encoding.
 */
public final class FileNames {
  static final int MAX_LENGTH = 1024;
  static final int MAX_SEGMENT = 255;

  private FileNames() {}

  /**
   * The normalised name ({@code ./a//b} becomes {@code a/b}).
   *
   * @throws IllegalArgumentException naming what is wrong with it
   */
  public static String normalise(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a file name is empty");
    }
    check(name);
    // Encoded traversal (%2e%2e%2f, %252e...): whatever a later decoding could make of the name
    // must be as harmless as the name itself.
    String decoded = name;
    for (int i = 0; i < 3 && decoded.indexOf('%') >= 0; i++) {
      String next;
      try {
        next = URLDecoder.decode(decoded.replace("+", "%2B"), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        break;
      }
      if (next.equals(decoded)) {
        break;
      }
      try {
        check(next);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "'" + printable(name) + "' is an encoded path escape: " + e.getMessage());
      }
      decoded = next;
    }
    List<String> segments = new ArrayList<>();
    for (String segment : name.split("/")) {
      if (segment.isEmpty() || segment.equals(".")) {
        continue;
      }
      if (segment.length() > MAX_SEGMENT) {
        throw new IllegalArgumentException("a segment of '" + printable(name) + "' is too long");
      }
      segments.add(segment);
    }
    if (segments.isEmpty()) {
      throw new IllegalArgumentException("'" + printable(name) + "' names no file");
    }
    if (segments.get(0).toLowerCase(Locale.ROOT).startsWith(".runledger")) {
      throw new IllegalArgumentException(
          "'" + printable(name) + "' is reserved for the engine's own files");
    }
    return String.join("/", segments);
  }

  private static void check(String name) {
    if (name.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("a file name is longer than " + MAX_LENGTH);
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == 0) {
        throw new IllegalArgumentException("a file name contains a NUL character");
      }
      if (c < 0x20 || c == 0x7f) {
        throw new IllegalArgumentException("a file name contains a control character");
      }
      if (c == '\\') {
        throw new IllegalArgumentException(
            "'" + printable(name) + "' contains a backslash; use / between directories");
      }
    }
    if (name.startsWith("/") || name.startsWith("~")) {
      throw new IllegalArgumentException(
          "'" + printable(name) + "' is absolute; names are relative to the working directory");
    }
    if (name.length() >= 2 && name.charAt(1) == ':' && Character.isLetter(name.charAt(0))) {
      throw new IllegalArgumentException("'" + printable(name) + "' starts with a drive letter");
    }
    for (String segment : name.split("/")) {
      if (segment.equals("..")) {
        throw new IllegalArgumentException(
            "'" + printable(name) + "' leaves the working directory (..)");
      }
    }
  }

  private static String printable(String name) {
    StringBuilder out = new StringBuilder();
    for (char c : name.toCharArray()) {
      out.append(c < 0x20 || c == 0x7f ? "?" : String.valueOf(c));
    }
    return out.toString();
  }
}
