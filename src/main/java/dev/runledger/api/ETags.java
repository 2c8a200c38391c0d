package dev.runledger.api;

/** Entity-tag comparisons of {@code If-None-Match} and {@code If-Match} (RFC 9110 §13.1). */
final class ETags {
  private ETags() {}

  /**
   * Whether a condition header's list ({@code "a", W/"b"} or {@code *}) names {@code etag}; weak
   * tags compare by their opaque part, as {@code If-None-Match} does. A null header matches
   * nothing.
   */
  static boolean matches(String header, String etag) {
    if (header == null || etag == null) {
      return false;
    }
    for (String part : header.split(",")) {
      String tag = part.trim();
      if (tag.equals("*")) {
        return true;
      }
      if (tag.startsWith("W/")) {
        tag = tag.substring(2);
      }
      if (tag.equals(etag)) {
        return true;
      }
    }
    return false;
  }

  /**
   * As {@link #matches} with the strong comparison {@code If-Match} uses: a weak tag matches
   * nothing, and {@code *} matches any current representation, not a missing one.
   */
  static boolean matchesStrongly(String header, String etag) {
    if (etag == null) {
      return false;
    }
    for (String part : header.split(",")) {
      String tag = part.trim();
      if (tag.equals("*") || tag.equals(etag)) {
        return true;
      }
    }
    return false;
  }
}
