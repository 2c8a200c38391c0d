package dev.runledger.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.runledger.model.JsonErrors;
import dev.runledger.model.StepTarget;
import dev.runledger.model.YamlDocuments;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The definition documents of the files and directories given to {@code apply} and {@code diff}: a
 * directory means its .yaml, .yml and .json files in name order (not recursive); a YAML file may
 * hold several documents separated by {@code ---}, each a definition.
 */
final class DefinitionFiles {
  /** Something that kept a file or document from being read; {@code label} names it. */
  record Problem(String label, String message) {
    String line() {
      return "error: " + label + ": " + message;
    }
  }

  /** What was read: the documents in order, and every problem met. */
  record Read(List<LocalDefinition> definitions, List<Problem> problems) {
    /** Actions first, then workflows (so a workflow's new actions exist when it is saved). */
    List<LocalDefinition> inApplyOrder() {
      List<LocalDefinition> ordered = new ArrayList<>();
      for (String kind : List.of("action", "workflow")) {
        definitions.stream().filter(d -> d.kind().equals(kind)).forEach(ordered::add);
      }
      return ordered;
    }

    /**
     * What {@code d}'s steps use by name that these files define too (in the same project): a dry
     * run counts them as there, as the apply would save them.
     */
    List<String> applyingWith(LocalDefinition d) {
      return d.uses().stream()
          .filter(
              uses ->
                  definitions.stream()
                      .anyMatch(
                          other ->
                              Objects.equals(other.project(), d.project())
                                  && uses.equals(
                                      other.kind().equals("workflow")
                                          ? "workflow:" + other.name()
                                          : other.name())))
          .sorted()
          .toList();
    }
  }

  private final List<LocalDefinition> definitions = new ArrayList<>();
  private final List<Problem> problems = new ArrayList<>();
  private final Map<String, LocalDefinition> seen = new HashMap<>();
  private final String projectOption;

  private DefinitionFiles(String projectOption) {
    this.projectOption = projectOption;
  }

  /**
   * Reads every path.
   *
   * @param projectOption {@code --project}, or null; a document naming another project is a problem
   */
  static Read read(List<Path> paths, String projectOption) {
    DefinitionFiles files = new DefinitionFiles(projectOption);
    for (Path path : paths) {
      if (Files.isDirectory(path)) {
        List<Path> found = definitionFiles(path);
        if (found.isEmpty()) {
          files.problem(path.toString(), "no .yaml, .yml or .json files in this directory");
        }
        found.forEach(files::readFile);
      } else if (Files.isRegularFile(path)) {
        files.readFile(path);
      } else {
        files.problem(path.toString(), "no such file or directory");
      }
    }
    return new Read(List.copyOf(files.definitions), List.copyOf(files.problems));
  }

  private void readFile(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      problem(file.toString(), "cannot read: " + e.getMessage());
      return;
    }
    boolean json = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json");
    if (json) {
      readDocument(file, 1, false, text, true);
      return;
    }
    List<YamlDocuments.Document> documents = YamlDocuments.split(text);
    if (documents.isEmpty()) {
      problem(file.toString(), "no definition in this file (it holds only comments or markers)");
    } else if (documents.size() == 1) {
      readDocument(file, 1, false, text, false);
    } else {
      for (YamlDocuments.Document document : documents) {
        readDocument(file, document.line(), true, document.text(), false);
      }
    }
  }

  private void readDocument(Path file, int line, boolean several, String text, boolean json) {
    String where = several ? file + ":" + line : file.toString();
    try {
      JsonNode doc = parse(text, json);
      String kind = Json.text(doc, "kind");
      String name = Json.text(doc, "name");
      if (kind == null || !(kind.equals("action") || kind.equals("workflow"))) {
        throw new CliException(
            kind == null
                ? "no 'kind' (action or workflow)"
                : "'kind' is '" + kind + "'; it must be action or workflow");
      }
      if (name == null || name.isBlank()) {
        throw new CliException("no 'name'");
      }
      LocalDefinition definition =
          new LocalDefinition(
              file,
              line,
              several,
              kind,
              name,
              project(Json.text(doc, "project")),
              text,
              json,
              usesByName(doc));
      String key = String.join("\u0000", String.valueOf(definition.project()), kind, name);
      LocalDefinition before = seen.putIfAbsent(key, definition);
      if (before != null) {
        problem(definition.label(), "defined twice: " + before.where() + " defines it too");
        definitions.remove(before);
        return;
      }
      definitions.add(definition);
    } catch (CliException e) {
      problem(where, e.getMessage());
    }
  }

  /** The {@code uses:} of each step that names an action or workflow by name. */
  private static Set<String> usesByName(JsonNode doc) {
    Set<String> uses = new TreeSet<>();
    for (JsonNode step : doc.path("steps")) {
      JsonNode value = step.path("uses");
      if (value.isTextual()) {
        try {
          StepTarget target = StepTarget.parse(value.textValue());
          if (target.name() != null && target.revision() == null) {
            uses.add(target.toString());
          }
        } catch (IllegalArgumentException e) {
          // the server names the step's problem
        }
      }
    }
    return uses;
  }

  private String project(String fromDocument) {
    if (fromDocument != null && projectOption != null && !fromDocument.equals(projectOption)) {
      throw new CliException(
          "the document says project '"
              + fromDocument
              + "' but --project says '"
              + projectOption
              + "'; remove one of them");
    }
    return fromDocument != null ? fromDocument : projectOption;
  }

  private void problem(String label, String message) {
    problems.add(new Problem(label, message));
  }

  private static JsonNode parse(String text, boolean json) {
    try {
      JsonNode node = (json ? Json.MAPPER : Json.YAML).readTree(text);
      if (node == null || !node.isObject()) {
        throw new CliException(
            "not a definition: the document must be a mapping with kind and name");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new CliException(JsonErrors.describe("not valid " + (json ? "JSON" : "YAML"), e));
    }
  }

  private static List<Path> definitionFiles(Path dir) {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries
          .filter(Files::isRegularFile)
          .filter(
              p -> {
                String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                return n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json");
              })
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new CliException("cannot list " + dir + ": " + e.getMessage(), e);
    }
  }
}
