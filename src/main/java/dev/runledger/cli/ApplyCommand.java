package dev.runledger.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code runledger apply [-f] FILE_OR_DIR... [--dry-run] [--prune]}: creates or updates definitions
 * from files; with {@code --prune} archives the project's definitions that are in none of them;
 * with {@code --dry-run} only says what it would do.
 */
@Command(
    name = "apply",
    description = {
      "Create or update action and workflow definitions from YAML or JSON files.",
      "A directory means its .yaml, .yml and .json files, in name order (not",
      "recursive); a YAML file may hold several definitions separated by ---.",
      "Actions are saved first, then workflows.",
      "Exit codes: 0 applied (or planned, with --dry-run), 1 an error (and then",
      "--prune archives nothing)."
    })
final class ApplyCommand extends ScopedCommand {

  @Option(
      names = {"-f", "--file"},
      paramLabel = "FILE_OR_DIR",
      description = "A definition file or a directory of them; repeatable.")
  List<Path> files = new ArrayList<>();

  @Parameters(paramLabel = "FILE_OR_DIR", arity = "0..*", description = "As -f.")
  List<Path> positional = new ArrayList<>();

  @Option(
      names = "--dry-run",
      description =
          "Change nothing: say what would be created, revised, left unchanged or archived.")
  boolean dryRun;

  @Option(
      names = "--prune",
      description =
          "Archive the definitions of the project(s) that are in none of the files"
              + " (only when every file was applied).")
  boolean prune;

  ApplyCommand(ClientEnvironment env) {
    super(env);
  }

  @Override
  int run(RunledgerClient client) {
    List<Path> paths = new ArrayList<>(files);
    paths.addAll(positional);
    if (paths.isEmpty()) {
      throw new CliException("give a definition file or directory (apply DIR, or -f FILE)");
    }
    DefinitionFiles.Read read = DefinitionFiles.read(paths, project);
    int failures = read.problems().size();
    read.problems().forEach(p -> err().println(p.line()));
    err().flush();
    ServerDefinitions server = new ServerDefinitions(client);
    Set<ServerDefinitions.Key> applied = new LinkedHashSet<>();
    Set<String> projects = new LinkedHashSet<>();
    Plan plan = new Plan();
    for (LocalDefinition d : read.inApplyOrder()) {
      try {
        JsonNode answer =
            dryRun ? planOne(server, d, read.applyingWith(d), plan) : applyOne(server, d);
        String projectName = Json.textOr(answer, "project", "default");
        projects.add(projectName);
        applied.add(new ServerDefinitions.Key(projectName, d.kind(), d.name()));
      } catch (ConnectionException e) {
        throw e; // every further definition would fail the same way
      } catch (CliException e) {
        err().println("error: " + d.label() + ": " + e.getMessage());
        failures++;
      } finally {
        out().flush();
        err().flush();
      }
    }
    if (prune) {
      if (failures > 0) {
        err()
            .println(
                "error: not pruning: "
                    + failures
                    + (failures == 1 ? " file or definition" : " files or definitions")
                    + " failed, and what is missing from them would be archived");
      } else {
        for (JsonNode d : server.absent(projects, applied)) {
          String what = Json.text(d, "kind") + " " + Json.text(d, "name");
          if (dryRun) {
            out().println(what + ": would be archived (revision " + d.path("revision") + ")");
            plan.archived++;
          } else {
            server.archive(d);
            out().println(what + ": archived (in no file)");
          }
          out().flush();
        }
      }
    }
    if (dryRun) {
      out().println(plan.summary(prune && failures == 0));
    }
    return failures == 0 ? 0 : 1;
  }

  private JsonNode applyOne(ServerDefinitions server, LocalDefinition d) {
    RunledgerClient.Response response = server.put(d);
    JsonNode body = response.json();
    boolean created =
        response.status() == 201
            || (response.status() != 200 && body.path("created").asBoolean(false));
    StringBuilder line =
        new StringBuilder(d.kind()).append(' ').append(d.name()).append(": revision ");
    line.append(Json.textOr(body, "revision", "?"));
    String hash = Json.text(body, "definitionHash");
    if (hash != null) {
      line.append(" (").append(hash).append(')');
    }
    line.append(created ? " created" : " unchanged");
    out().println(line);
    return body;
  }

  private JsonNode planOne(
      ServerDefinitions server, LocalDefinition d, List<String> applying, Plan plan) {
    JsonNode answer = server.dryRun(d, applying);
    String change = Json.textOr(answer, "change", "?");
    String revision = answer.path("revision").asText();
    JsonNode latest = answer.path("latest");
    String what = d.kind() + " " + d.name() + ": ";
    switch (change) {
      case "created" -> {
        out().println(what + "would be created (revision " + revision + ")");
        plan.created++;
      }
      case "revised" -> {
        out()
            .println(
                what
                    + "would be revised: revision "
                    + revision
                    + ", now "
                    + latest.path("revision").asText()
                    + (latest.path("archived").asBoolean(false)
                        ? " (archived; the new revision makes it live again)"
                        : ""));
        plan.revised++;
      }
      case "unchanged" -> {
        out().println(what + "unchanged (revision " + revision + ")");
        plan.unchanged++;
      }
      default -> throw new CliException("the server's dry run answered change '" + change + "'");
    }
    return answer;
  }

  /** What a dry run found, counted for its last line. */
  private static final class Plan {
    int created;
    int revised;
    int unchanged;
    int archived;

    String summary(boolean pruned) {
      return "dry run: "
          + created
          + " to create, "
          + revised
          + " to revise, "
          + unchanged
          + " unchanged"
          + (pruned ? ", " + archived + " to archive" : "")
          + "; nothing was changed";
    }
  }
}
