package dev.runledger.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runledger.engine.catalog.DefinitionService;
import dev.runledger.model.InvalidInputException;
import dev.runledger.model.Principal;
import dev.runledger.model.YamlDocuments;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Applies every definition file of a directory at start ({@code serve --load DIR}), each document
 * of a multi-document YAML file on its own. An archived definition stays archived: it is skipped,
 * and the log says so.
 */
final class DefinitionLoader {
  private final DefinitionService definitions;

  DefinitionLoader(DefinitionService definitions) {
    this.definitions = definitions;
  }

  /** One definition document of a file, and its label in messages ({@code file:line}). */
  private record Document(String label, String text, boolean yaml, JsonNode head) {}

  /**
   * Applies the files in name order (actions before workflows); returns how many definitions. A
   * YAML file may hold several definitions separated by {@code ---}.
   */
  int load(Path dir, Principal principal, PrintWriter out) {
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files = list.filter(p -> p.toString().matches(".*\\.(ya?ml|json)$")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + dir, e);
    }
    List<Document> documents = new ArrayList<>();
    for (Path file : files) {
      documents.addAll(documents(file));
    }
    int applied = 0;
    for (String pass : List.of("action", "workflow")) {
      for (Document document : documents) {
        JsonNode head = document.head();
        if (!pass.equals(head.path("kind").asText())) {
          continue;
        }
        String project = head.path("project").asText("default");
        try {
          var saved =
              definitions.load(
                  project,
                  pass,
                  head.path("name").asText(),
                  document.text(),
                  document.yaml(),
                  principal);
          if (saved.archived()) {
            out.println(
                "  "
                    + pass
                    + " "
                    + saved.revision().name()
                    + ": archived, skipped (loading never brings an archived definition back)");
            continue;
          }
          out.println(
              "  "
                  + pass
                  + " "
                  + saved.revision().name()
                  + ": revision "
                  + saved.revision().revision()
                  + (saved.created() ? " created" : " unchanged"));
          applied++;
        } catch (InvalidInputException e) {
          throw new IllegalArgumentException(describe(document.label(), e), e);
        }
      }
    }
    return applied;
  }

  private List<Document> documents(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    boolean yaml = !file.toString().endsWith(".json");
    List<YamlDocuments.Document> parts =
        yaml ? YamlDocuments.split(text) : List.of(new YamlDocuments.Document(1, text));
    if (parts.size() <= 1) {
      return List.of(new Document(file.toString(), text, yaml, head(file.toString(), text, yaml)));
    }
    List<Document> documents = new ArrayList<>();
    for (YamlDocuments.Document part : parts) {
      String label = file + ":" + part.line();
      documents.add(new Document(label, part.text(), true, head(label, part.text(), true)));
    }
    return documents;
  }

  private JsonNode head(String label, String text, boolean yaml) {
    try {
      return definitions.parse(text, yaml);
    } catch (InvalidInputException e) {
      throw new IllegalArgumentException(describe(label, e), e);
    }
  }

  private static String describe(String label, InvalidInputException e) {
    StringBuilder msg = new StringBuilder(label + ": " + e.getMessage());
    if (e.errors().size() != 1 || !e.errors().get(0).message().equals(e.getMessage())) {
      e.errors()
          .forEach(
              err -> msg.append("\n  ").append(err.field()).append(": ").append(err.message()));
    }
    return msg.toString();
  }
}
