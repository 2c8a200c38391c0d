package dev.runledger.web;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Builds the paths pages link to, with every value encoded. */
final class Links {
  private Links() {}

  static String query(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  /** A path segment: percent-encoded, spaces as %20. */
  static String segment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** {@code ?k=v&...} of the pairs whose value is not null (empty when none is). */
  static String queryString(java.util.Map<String, String> pairs) {
    StringBuilder b = new StringBuilder();
    pairs.forEach(
        (k, v) -> {
          if (v != null) {
            b.append(b.length() == 0 ? "?" : "&").append(k).append('=').append(query(v));
          }
        });
    return b.toString();
  }

  /** The project as a query ({@code ?project=x}), empty for the default project. */
  static String projectQuery(String project) {
    return "default".equals(project) ? "" : "?project=" + query(project);
  }

  static String run(String id) {
    return "/runs/" + segment(id);
  }

  static String task(String runId, String task) {
    return run(runId) + "/tasks/" + segment(task);
  }
}
