package dev.runledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runledger.testing.ApiClient;
import dev.runledger.testing.StoreKind;
import dev.runledger.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code apply --dry-run}, {@code apply --prune}, {@code diff} and multi-document files against a
 * server; each test works in a project of its own.
 */
class DefinitionsAsCodeTest {
  private static TestServer server;
  private static ApiClient admin;
  private static ClientEnvironment env;

  @TempDir Path dir;

  @BeforeAll
  static void start() {
    server = TestServer.start(StoreKind.SQLITE);
    admin = server.admin();
    env =
        CliHarness.env(
            Map.of(
                "RUNLEDGER_URL", server.node().url(), "RUNLEDGER_TOKEN", TestServer.ADMIN_TOKEN));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static void define(String project, String kind, String yaml) {
    String name = yaml.lines().filter(l -> l.startsWith("name: ")).findFirst().orElseThrow();
    ApiClient.Response r =
        admin.putYaml("/api/" + kind + "s/" + name.substring(6) + "?project=" + project, yaml);
    assertThat(r.status()).as(r.text()).isIn(200, 201);
  }

  private static JsonNode latest(String project, String kind, String name) {
    ApiClient.Response r = admin.get("/api/" + kind + "s/" + name + "?project=" + project);
    return r.status() == 404 ? null : r.json();
  }

  private static List<String> auditTypes(String project) {
    List<String> types = new ArrayList<>();
    admin
        .get("/api/audit?project=" + project + "&limit=500")
        .json()
        .path("items")
        .forEach(e -> types.add(e.path("type").asText()));
    return types;
  }

  private void write(String file, String text) throws Exception {
    Files.writeString(dir.resolve(file), text);
  }

  private static CliHarness.Result run(String... args) {
    return CliHarness.run(env, args);
  }

  @Test
  void dry_run_says_created_revised_unchanged_and_would_be_archived_and_changes_nothing()
      throws Exception {
    String project = "dry";
    define(project, "action", "kind: action\nname: same\nbuiltin: {noop: {}}\n");
    define(project, "action", "kind: action\nname: changed\nbuiltin: {log: {message: old}}\n");
    define(project, "action", "kind: action\nname: gone\nbuiltin: {noop: {}}\n");
    int events = auditTypes(project).size();
    // a comment and another key order are no change: the server compares what it would store
    write("same.yaml", "# unchanged\nbuiltin:\n  noop: {}\nname: same\nkind: action\n");
    write("changed.yaml", "kind: action\nname: changed\nbuiltin: {log: {message: new}}\n");
    write("new.yaml", "kind: action\nname: fresh\nbuiltin: {noop: {}}\n");

    CliHarness.Result result =
        run("apply", dir.toString(), "--dry-run", "--prune", "--project", project);

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out())
        .isEqualTo(
            "action changed: would be revised: revision 2, now 1\n"
                + "action fresh: would be created (revision 1)\n"
                + "action same: unchanged (revision 1)\n"
                + "action gone: would be archived (revision 1)\n"
                + "dry run: 1 to create, 1 to revise, 1 unchanged, 1 to archive;"
                + " nothing was changed\n");
    assertThat(latest(project, "action", "fresh")).isNull();
    assertThat(latest(project, "action", "changed").path("revision").asInt()).isEqualTo(1);
    assertThat(latest(project, "action", "gone").path("archived").asBoolean()).isFalse();
    assertThat(auditTypes(project)).hasSize(events);
  }

  @Test
  void prune_archives_what_is_in_no_file_of_the_project_and_nothing_when_a_file_fails()
      throws Exception {
    String project = "prune";
    define(project, "action", "kind: action\nname: keep\nbuiltin: {noop: {}}\n");
    define(project, "action", "kind: action\nname: used-by-old\nbuiltin: {noop: {}}\n");
    define(
        project,
        "workflow",
        "kind: workflow\nname: old\nsteps:\n  - {id: one, uses: used-by-old}\n");
    define("elsewhere", "action", "kind: action\nname: other\nbuiltin: {noop: {}}\n");
    write("keep.yaml", "kind: action\nname: keep\nbuiltin: {noop: {}}\n");
    write("broken.yaml", "kind: action\nname: broken\nhttp: {url: 1}\n");

    CliHarness.Result refused = run("apply", dir.toString(), "--prune", "--project", project);

    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.err())
        .contains("(action broken): 400")
        .contains("error: not pruning: 1 file or definition failed");
    assertThat(latest(project, "workflow", "old").path("archived").asBoolean()).isFalse();

    Files.delete(dir.resolve("broken.yaml"));
    CliHarness.Result pruned = run("apply", dir.toString(), "--prune", "--project", project);

    assertThat(pruned.exitCode()).as(pruned.err()).isZero();
    assertThat(pruned.out())
        .endsWith(
            "action keep: revision 1 ("
                + latest(project, "action", "keep").path("definitionHash").asText()
                + ") unchanged\n"
                + "workflow old: archived (in no file)\n"
                + "action used-by-old: archived (in no file)\n");
    assertThat(latest(project, "workflow", "old").path("archived").asBoolean()).isTrue();
    assertThat(latest(project, "action", "used-by-old").path("archived").asBoolean()).isTrue();
    assertThat(latest(project, "action", "keep").path("archived").asBoolean()).isFalse();
    assertThat(latest("elsewhere", "action", "other").path("archived").asBoolean()).isFalse();
    assertThat(auditTypes(project)).contains("definition.archived");

    CliHarness.Result again =
        run("apply", dir.toString(), "--prune", "--dry-run", "--project", project);
    assertThat(again.out()).doesNotContain("would be archived").contains("0 to archive");
  }

  @Test
  void diff_is_a_unified_yaml_diff_exiting_2_and_0_once_applied() throws Exception {
    String project = "diffs";
    define(
        project,
        "action",
        "kind: action\nname: greet\ndescription: Says hello\nbuiltin: {log: {message: hi}}\n");
    define(project, "action", "kind: action\nname: stale\nbuiltin: {noop: {}}\n");
    write(
        "greet.yaml",
        "kind: action\nname: greet\ndescription: Says hello\nbuiltin: {log: {message: hello}}\n");
    write("new.yaml", "kind: action\nname: fresh\nbuiltin: {noop: {}}\n");

    CliHarness.Result diff = run("diff", dir.toString(), "--project", project);

    assertThat(diff.exitCode()).as(diff.err()).isEqualTo(DiffCommand.DIFFERENCES);
    assertThat(diff.out())
        .contains(
            "--- server: action greet revision 1\n"
                + "+++ local: "
                + dir.resolve("greet.yaml")
                + "\n"
                + "@@ -3,5 +3,5 @@\n"
                + " description: Says hello\n"
                + " builtin:\n"
                + "   log:\n"
                + "-    message: hi\n"
                + "+    message: hello\n"
                + " project: diffs\n")
        .contains("--- /dev/null\n+++ local: " + dir.resolve("new.yaml") + "\n")
        .contains("+name: fresh\n")
        .doesNotContain("stale");
    assertThat(latest(project, "action", "fresh")).isNull();

    CliHarness.Result pruning = run("diff", dir.toString(), "--prune", "--project", project);
    assertThat(pruning.exitCode()).isEqualTo(DiffCommand.DIFFERENCES);
    assertThat(pruning.out())
        .contains("--- server: action stale revision 1\n+++ /dev/null (archived by apply --prune)")
        .contains("-name: stale\n");

    assertThat(run("apply", dir.toString(), "--project", project).exitCode()).isZero();
    CliHarness.Result same = run("diff", dir.toString(), "--project", project);
    assertThat(same.exitCode()).as(same.out() + same.err()).isZero();
    assertThat(same.out()).isEmpty();
  }

  @Test
  void diff_of_an_invalid_definition_or_a_usage_error_is_not_read_as_differences()
      throws Exception {
    write("bad.yaml", "kind: action\nname: bad\nhttp: {url: 1}\n");

    CliHarness.Result invalid = run("diff", dir.toString(), "--project", "diff-errors");
    assertThat(invalid.exitCode()).isEqualTo(1);
    assertThat(invalid.err()).contains("(action bad): 400").contains("http.url");

    CliHarness.Result usage = run("diff", "--no-such-option", dir.toString());
    assertThat(usage.exitCode()).isEqualTo(DiffCommand.USAGE);
    assertThat(usage.err()).contains("--no-such-option");
  }

  @Test
  void a_multi_document_file_applies_each_definition_and_errors_name_the_documents_line()
      throws Exception {
    String project = "multi";
    write(
        "all.yaml",
        """
        # the project's definitions, one file
        kind: action
        name: first
        builtin: {noop: {}}
        ---
        kind: workflow
        name: uses-first
        steps:
          - {id: one, uses: first}
        ...
        --- # a third
        kind: action
        name: third
        builtin:
          log:
            message: |
              a block scalar
                ---  indented, so not a marker
        """);

    CliHarness.Result applied = run("apply", dir.toString(), "--project", project);

    assertThat(applied.exitCode()).as(applied.err()).isZero();
    assertThat(applied.out())
        .contains("action first: revision 1")
        .contains("workflow uses-first: revision 1")
        .contains("action third: revision 1");
    assertThat(
            latest(project, "action", "third")
                .path("definition")
                .path("builtin")
                .path("log")
                .path("message")
                .asText())
        .isEqualTo("a block scalar\n  ---  indented, so not a marker\n");

    write(
        "all.yaml",
        "kind: action\nname: first\nbuiltin: {noop: {}}\n---\nkind: action\nname: second\n"
            + "builtin: {log: {message: [}}\n");
    CliHarness.Result broken = run("apply", dir.toString(), "--project", project);
    assertThat(broken.exitCode()).isEqualTo(1);
    assertThat(broken.err())
        .startsWith("error: " + dir.resolve("all.yaml") + ":4: not valid YAML at line 7")
        .doesNotContain("com.fasterxml")
        .doesNotContain("TRAILING");
    assertThat(broken.out()).contains("action first: revision 1");
  }

  @Test
  void a_new_workflow_using_a_new_action_of_a_later_file_is_planned_and_applied_actions_first()
      throws Exception {
    String project = "together";
    write("a-flow.yaml", "kind: workflow\nname: flow\nsteps:\n  - {id: one, uses: step}\n");
    write("b-step.yaml", "kind: action\nname: step\nbuiltin: {noop: {}}\n");

    CliHarness.Result plan = run("apply", dir.toString(), "--dry-run", "--project", project);
    assertThat(plan.exitCode()).as(plan.err()).isZero();
    assertThat(plan.out())
        .startsWith(
            "action step: would be created (revision 1)\n"
                + "workflow flow: would be created (revision 1)\n");

    CliHarness.Result diff = run("diff", dir.toString(), "--project", project);
    assertThat(diff.exitCode()).as(diff.err()).isEqualTo(DiffCommand.DIFFERENCES);
    assertThat(diff.out()).contains("+name: flow\n").contains("+name: step\n");

    CliHarness.Result applied = run("apply", dir.toString(), "--project", project);
    assertThat(applied.exitCode()).as(applied.err()).isZero();
    assertThat(latest(project, "workflow", "flow")).isNotNull();
  }
}
