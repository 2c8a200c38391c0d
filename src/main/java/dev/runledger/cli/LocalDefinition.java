package dev.runledger.cli;

import java.nio.file.Path;
import java.util.Set;

/**
 * One definition document of a local file: where it is, what it says it is, and its text.
 *
 * @param line where the document starts in its file (1 for a file of one document)
 * @param oneOfSeveral the file holds more than one document, so its line names it
 * @param project the project it goes to ({@code project:} or {@code --project}); null: the server's
 *     default
 * @param text the document as sent to the server
 * @param uses what its steps use by name ({@code NAME} or {@code workflow:NAME}), for a workflow
 */
record LocalDefinition(
    Path file,
    int line,
    boolean oneOfSeveral,
    String kind,
    String name,
    String project,
    String text,
    boolean json,
    Set<String> uses) {

  /** {@code defs/hello.yaml (action hello)}, with {@code :LINE} after a multi-document file. */
  String label() {
    return where() + " (" + kind + " " + name + ")";
  }

  /** The file, with {@code :LINE} when it holds several documents. */
  String where() {
    return oneOfSeveral ? file + ":" + line : file.toString();
  }

  /** {@code /api/actions/NAME} or {@code /api/workflows/NAME}. */
  String route() {
    return "/api/" + kind + "s/" + Query.segment(name);
  }

  String contentType() {
    return json ? "application/json" : "application/yaml";
  }
}
