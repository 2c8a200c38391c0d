package dev.runledger.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.runledger.model.JsonErrors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code runledger apply -f FILE_OR_DIR}: creates or updates definitions from files. */
@Command(
    name = "apply",
    description = {
      "Create or update action and workflow definitions from YAML or JSON files.",
      "A directory means its .yaml, .yml and .json files, in name order (not recursive)."
    })
final class ApplyCommand extends ScopedCommand {

  @Option(
      names = {"-f", "--file"},
      required = true,
      paramLabel = "FILE_OR_DIR",
      description = "A definition file or a directory of them; repeatable.")
  List<Path> paths = new ArrayList<>();

  ApplyCommand(ClientEnvironment env) {
    super(env);
  }

  @Override
  int run(RunledgerClient client) {
    List<Path> files = new ArrayList<>();
    int failures = 0;
    for (Path path : paths) {
      if (Files.isDirectory(path)) {
        List<Path> found = definitionFiles(path);
        if (found.isEmpty()) {
          err().println("error: " + path + ": no .yaml, .yml or .json files in this directory");
          failures++;
        }
        files.addAll(found);
      } else if (Files.isRegularFile(path)) {
        files.add(path);
      } else {
        err().println("error: " + path + ": no such file or directory");
        failures++;
      }
    }
    for (Path file : files) {
      if (!apply(client, file)) {
        failures++;
      }
    }
    return failures == 0 ? 0 : 1;
  }

  private boolean apply(RunledgerClient client, Path file) {
    String label = file.toString();
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      boolean json = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json");
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
      label = file + " (" + kind + " " + name + ")";
      String project = targetProject(Json.text(doc, "project"));
      RunledgerClient.Response response =
          client.put(
              "/api/" + kind + "s/" + Query.segment(name),
              Query.of().add("project", project),
              text,
              json ? "application/json" : "application/yaml");
      JsonNode body = response.json();
      boolean created =
          response.status() == 201
              || (response.status() != 200 && body.path("created").asBoolean(false));
      StringBuilder line = new StringBuilder(kind).append(' ').append(name).append(": revision ");
      line.append(Json.textOr(body, "revision", "?"));
      String hash = Json.text(body, "definitionHash");
      if (hash != null) {
        line.append(" (").append(hash).append(')');
      }
      line.append(created ? " created" : " unchanged");
      out().println(line);
      out().flush();
      return true;
    } catch (ApiException e) {
      err().println("error: " + label + ": " + e.getMessage());
      return false;
    } catch (ConnectionException e) {
      throw e; // every further file would fail the same way
    } catch (CliException e) {
      err().println("error: " + label + ": " + e.getMessage());
      return false;
    } catch (IOException e) {
      err().println("error: " + label + ": cannot read: " + e.getMessage());
      return false;
    } finally {
      err().flush();
    }
  }

  private String targetProject(String fromDocument) {
    String option = project;
    if (fromDocument != null && option != null && !fromDocument.equals(option)) {
      throw new CliException(
          "the document says project '"
              + fromDocument
              + "' but --project says '"
              + option
              + "'; remove one of them");
    }
    return fromDocument != null ? fromDocument : option;
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
