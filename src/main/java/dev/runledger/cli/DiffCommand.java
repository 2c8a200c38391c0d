package dev.runledger.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import dev.runledger.model.DefinitionYaml;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code runledger diff FILE_OR_DIR...}: a unified diff, in YAML, between each definition's latest
 * revision on the server and the local file, as {@code apply} would change it. Both sides are the
 * definition as the server stores it, so comments, quoting and key order do not show.
 */
@Command(
    name = "diff",
    description = {
      "Show what apply would change: a unified diff of each definition's YAML,",
      "the server's latest revision (---) against the local file (+++), both as",
      "the server stores them. Reads the same files as apply.",
      "Exit codes (as terraform plan -detailed-exitcode): 0 no differences,",
      "2 differences, 1 an error (a file that cannot be read, an invalid",
      "definition, the server), 64 a usage error."
    })
final class DiffCommand extends ScopedCommand {
  /** The exit code when there are differences. */
  static final int DIFFERENCES = 2;

  /** The exit code of a usage error (EX_USAGE): picocli's own 2 would read as differences. */
  static final int USAGE = 64;

  private static final int CONTEXT = 3;

  @Parameters(paramLabel = "FILE_OR_DIR", arity = "1..*", description = "As apply takes them.")
  List<Path> paths = new ArrayList<>();

  @Option(
      names = "--prune",
      description = "Also show, as removed, the definitions apply --prune would archive.")
  boolean prune;

  DiffCommand(ClientEnvironment env) {
    super(env);
  }

  @Override
  int run(RunledgerClient client) {
    DefinitionFiles.Read read = DefinitionFiles.read(paths, project);
    int failures = read.problems().size();
    read.problems().forEach(p -> err().println(p.line()));
    err().flush();
    ServerDefinitions server = new ServerDefinitions(client);
    Set<ServerDefinitions.Key> local = new LinkedHashSet<>();
    Set<String> projects = new LinkedHashSet<>();
    int differences = 0;
    for (LocalDefinition d : read.inApplyOrder()) {
      try {
        JsonNode plan = server.dryRun(d, read.applyingWith(d));
        String projectName = Json.textOr(plan, "project", "default");
        projects.add(projectName);
        local.add(new ServerDefinitions.Key(projectName, d.kind(), d.name()));
        if (!"unchanged".equals(Json.text(plan, "change"))) {
          differences++;
          show(server, d, projectName, plan);
        }
      } catch (ConnectionException e) {
        throw e;
      } catch (CliException e) {
        err().println("error: " + d.label() + ": " + e.getMessage());
        failures++;
      } finally {
        out().flush();
        err().flush();
      }
    }
    if (prune && failures == 0) {
      for (JsonNode d : server.absent(projects, local)) {
        differences++;
        print(
            "server: "
                + Json.text(d, "kind")
                + " "
                + Json.text(d, "name")
                + " revision "
                + d.path("revision").asText(),
            "/dev/null (archived by apply --prune)",
            DefinitionYaml.of(d.path("definition")),
            "");
      }
    } else if (prune) {
      err().println("error: not comparing for --prune: some files or definitions failed");
    }
    out().flush();
    if (failures > 0) {
      return 1;
    }
    return differences > 0 ? DIFFERENCES : 0;
  }

  private void show(
      ServerDefinitions server, LocalDefinition d, String projectName, JsonNode plan) {
    String local = DefinitionYaml.of(plan.path("definition"));
    Optional<JsonNode> latest = server.latest(projectName, d.kind(), d.name());
    String serverLabel =
        latest
            .map(
                l ->
                    "server: "
                        + d.kind()
                        + " "
                        + d.name()
                        + " revision "
                        + l.path("revision").asText()
                        + (l.path("archived").asBoolean(false) ? " (archived)" : ""))
            .orElse("/dev/null");
    String serverText = latest.map(l -> DefinitionYaml.of(l.path("definition"))).orElse("");
    String localLabel = "local: " + d.where();
    if (serverText.equals(local)) {
      // an archived definition with the same content: apply makes a new revision, live again
      out().println("--- " + serverLabel);
      out().println("+++ " + localLabel);
      out()
          .println(
              "# same content; apply makes revision "
                  + plan.path("revision").asText()
                  + " of it, which is live again");
      return;
    }
    print(serverLabel, localLabel, serverText, local);
  }

  private void print(String fromLabel, String toLabel, String from, String to) {
    List<String> a = from.lines().toList();
    List<String> b = to.lines().toList();
    List<String> unified =
        UnifiedDiffUtils.generateUnifiedDiff(fromLabel, toLabel, a, DiffUtils.diff(a, b), CONTEXT);
    unified.forEach(out()::println);
  }
}
