package dev.runledger.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runledger.engine.catalog.DefinitionService;
import dev.runledger.model.InvalidInputException;
import dev.runledger.model.Principal;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Applies every definition file of a directory at start ({@code serve --load DIR}). An archived
 * definition stays archived: its file is skipped, and the log says so.
 */
final class DefinitionLoader {
  private final DefinitionService definitions;

  DefinitionLoader(DefinitionService definitions) {
    this.definitions = definitions;
  }

  /** Applies the files in name order (actions before workflows); returns how many. */
  int load(Path dir, Principal principal, PrintWriter out) {
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files = list.filter(p -> p.toString().matches(".*\\.(ya?ml|json)$")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + dir, e);
    }
    int applied = 0;
    for (String pass : List.of("action", "workflow")) {
      for (Path file : files) {
        String text;
        try {
          text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read " + file, e);
        }
        boolean yaml = !file.toString().endsWith(".json");
        JsonNode head = head(file, text, yaml);
        if (!pass.equals(head.path("kind").asText())) {
          continue;
        }
        String project = head.path("project").asText("default");
        try {
          var saved =
              definitions.load(project, pass, head.path("name").asText(), text, yaml, principal);
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
          StringBuilder msg = new StringBuilder(file + ": " + e.getMessage());
          e.errors()
              .forEach(
                  err -> msg.append("\n  ").append(err.field()).append(": ").append(err.message()));
          throw new IllegalArgumentException(msg.toString(), e);
        }
      }
    }
    return applied;
  }

  private JsonNode head(Path file, String text, boolean yaml) {
    try {
      return definitions.parse(text, yaml);
    } catch (InvalidInputException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }
}
