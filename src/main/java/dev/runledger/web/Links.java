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

  static String run(String id) {
    return "/runs/" + segment(id);
  }

  static String task(String runId, String task) {
    return run(runId) + "/tasks/" + segment(task);
  }
}
