package dev.runledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runledger.cli.StubServer.Answer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Named contexts in the config file, and flag > environment > context > default. */
class ContextConfigTest {
  private static final String EMPTY_PAGE = "{\"items\":[],\"nextCursor\":null}";

  @TempDir Path home;
  StubServer server;
  StubServer other;

  @BeforeEach
  void start() throws Exception {
    server = new StubServer().on("GET", "/api/runs", Answer.json(200, EMPTY_PAGE));
    other = new StubServer().on("GET", "/api/runs", Answer.json(200, EMPTY_PAGE));
  }

  @AfterEach
  void stop() {
    server.close();
    other.close();
  }

  Path writeConfig(Path file, String yaml) throws Exception {
    Files.createDirectories(file.getParent());
    Files.writeString(file, yaml);
    return file;
  }

  Path defaultConfig() {
    return home.resolve(".config/runledger/config.yaml");
  }

  String twoContexts() {
    return "current-context: staging\n"
        + "contexts:\n"
        + "  staging:\n"
        + "    url: "
        + server.url()
        + "\n"
        + "    tokenFile: staging.token\n"
        + "    project: payments\n"
        + "  prod:\n"
        + "    url: "
        + other.url()
        + "\n"
        + "    tokenFile: ~/prod.token\n";
  }

  ClientEnvironment env(String... pairs) {
    Map<String, String> variables = new HashMap<>();
    variables.put("HOME", home.toString());
    for (int i = 0; i < pairs.length; i += 2) {
      variables.put(pairs[i], pairs[i + 1]);
    }
    return CliHarness.env(variables);
  }

  @Test
  void the_current_context_gives_url_token_and_project() throws Exception {
    writeConfig(defaultConfig(), twoContexts());
    Files.writeString(defaultConfig().resolveSibling("staging.token"), "rl_staging\n");

    CliHarness.Result result = CliHarness.run(env(), "runs");

    assertThat(result.exitCode()).as(result.err()).isZero();
    StubServer.Request request = server.only("GET", "/api/runs");
    assertThat(request.header("Authorization")).isEqualTo("Bearer rl_staging");
    assertThat(request.query()).containsEntry("project", List.of("payments"));
  }

  @Test
  void flags_beat_the_environment_which_beats_the_context() throws Exception {
    writeConfig(defaultConfig(), twoContexts());
    Files.writeString(defaultConfig().resolveSibling("staging.token"), "rl_staging\n");

    CliHarness.run(env("RUNLEDGER_TOKEN", "rl_env", "RUNLEDGER_PROJECT", "env-project"), "runs");
    CliHarness.run(
        env("RUNLEDGER_TOKEN", "rl_env", "RUNLEDGER_PROJECT", "env-project"),
        "runs",
        "--token",
        "rl_flag",
        "--project",
        "flag-project");
    CliHarness.Result envUrl = CliHarness.run(env("RUNLEDGER_URL", other.url()), "runs");

    List<StubServer.Request> requests = server.requests("GET", "/api/runs");
    assertThat(requests).hasSize(2);
    assertThat(requests.get(0).header("Authorization")).isEqualTo("Bearer rl_env");
    assertThat(requests.get(0).query()).containsEntry("project", List.of("env-project"));
    assertThat(requests.get(1).header("Authorization")).isEqualTo("Bearer rl_flag");
    assertThat(requests.get(1).query()).containsEntry("project", List.of("flag-project"));
    assertThat(envUrl.exitCode()).as(envUrl.err()).isZero();
    // the environment's URL with the context's token and project
    StubServer.Request toOther = other.only("GET", "/api/runs");
    assertThat(toOther.header("Authorization")).isEqualTo("Bearer rl_staging");
    assertThat(toOther.query()).containsEntry("project", List.of("payments"));
  }

  @Test
  void context_flag_and_variable_pick_another_context() throws Exception {
    writeConfig(defaultConfig(), twoContexts());
    Files.writeString(home.resolve("prod.token"), "rl_prod");

    CliHarness.Result byFlag = CliHarness.run(env(), "runs", "--context", "prod");
    CliHarness.Result byVariable = CliHarness.run(env("RUNLEDGER_CONTEXT", "prod"), "runs");

    assertThat(byFlag.exitCode()).as(byFlag.err()).isZero();
    assertThat(byVariable.exitCode()).as(byVariable.err()).isZero();
    assertThat(server.requests()).isEmpty();
    assertThat(other.requests("GET", "/api/runs"))
        .hasSize(2)
        .allSatisfy(
            r -> {
              assertThat(r.header("Authorization")).isEqualTo("Bearer rl_prod");
              assertThat(r.query()).doesNotContainKey("project");
            });
  }

  @Test
  void xdg_config_home_then_runledger_config_then_the_config_flag() throws Exception {
    Path xdg = home.resolve("xdg");
    writeConfig(
        xdg.resolve("runledger/config.yaml"),
        "current-context: a\ncontexts:\n  a: {url: '" + server.url() + "'}\n");
    Path explicit =
        writeConfig(
            home.resolve("elsewhere.yaml"),
            "current-context: b\ncontexts:\n  b: {url: '" + other.url() + "'}\n");

    CliHarness.run(env("XDG_CONFIG_HOME", xdg.toString()), "runs");
    CliHarness.run(
        env("XDG_CONFIG_HOME", xdg.toString(), "RUNLEDGER_CONFIG", explicit.toString()), "runs");
    CliHarness.run(env("XDG_CONFIG_HOME", xdg.toString()), "runs", "--config", explicit.toString());

    assertThat(server.requests()).hasSize(1);
    assertThat(other.requests()).hasSize(2);
  }

  @Test
  void context_use_and_list_change_and_show_the_current_context() throws Exception {
    writeConfig(defaultConfig(), twoContexts() + "# kept\nextra: {keep: me}\n");
    Files.writeString(home.resolve("prod.token"), "rl_prod");

    CliHarness.Result use = CliHarness.run(env(), "context", "use", "prod");
    CliHarness.Result list = CliHarness.run(env(), "context", "list");
    CliHarness.Result runs = CliHarness.run(env(), "runs");

    assertThat(use.exitCode()).as(use.err()).isZero();
    assertThat(use.out()).isEqualTo("current context: prod (" + defaultConfig() + ")\n");
    assertThat(Files.readString(defaultConfig()))
        .contains("current-context: prod")
        .contains("keep: me");
    assertThat(list.out())
        .isEqualTo(
            "CURRENT  NAME     URL                     PROJECT   TOKEN FILE\n"
                + "         staging  "
                + server.url()
                + "  payments  staging.token\n"
                + "*        prod     "
                + other.url()
                + "  -         ~/prod.token\n");
    assertThat(runs.exitCode()).as(runs.err()).isZero();
    assertThat(other.requests()).hasSize(1);
    assertThat(server.requests()).isEmpty();
  }

  @Test
  void context_set_creates_the_file_and_the_context_works() throws Exception {
    Files.writeString(home.resolve("t.token"), "rl_new\n");

    CliHarness.Result set =
        CliHarness.run(
            env(),
            "context",
            "set",
            "dev",
            "--url",
            server.url(),
            "--token-file",
            "~/t.token",
            "--project",
            "p1",
            "--use");
    CliHarness.Result runs = CliHarness.run(env(), "runs");
    CliHarness.Result json = CliHarness.run(env(), "context", "list", "-o", "json");

    assertThat(set.exitCode()).as(set.err()).isZero();
    assertThat(set.out()).isEqualTo("context dev saved in " + defaultConfig() + " (current)\n");
    assertThat(runs.exitCode()).as(runs.err()).isZero();
    assertThat(server.only("GET", "/api/runs").header("Authorization")).isEqualTo("Bearer rl_new");
    assertThat(Json.MAPPER.readTree(json.out()).path("contexts").get(0).path("project").asText())
        .isEqualTo("p1");
    assertThat(Json.MAPPER.readTree(json.out()).path("currentContext").asText()).isEqualTo("dev");
  }

  @Test
  void an_unknown_context_or_a_missing_token_file_is_named() throws Exception {
    writeConfig(defaultConfig(), twoContexts());

    CliHarness.Result unknown = CliHarness.run(env(), "runs", "--context", "qa");
    CliHarness.Result useUnknown = CliHarness.run(env(), "context", "use", "qa");
    CliHarness.Result noToken = CliHarness.run(env(), "runs");

    assertThat(unknown.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(unknown.err())
        .isEqualTo("error: no context 'qa' in " + defaultConfig() + " (it has: staging, prod)\n");
    assertThat(useUnknown.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(noToken.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(noToken.err())
        .isEqualTo(
            "error: cannot read the token file "
                + defaultConfig().resolveSibling("staging.token")
                + " of context 'staging': no such file\n");
    assertThat(server.requests()).isEmpty();
  }

  @Test
  void a_config_file_that_is_not_a_mapping_of_contexts_is_refused() throws Exception {
    writeConfig(defaultConfig(), "contexts: [a, b]\n");

    CliHarness.Result result = CliHarness.run(env(), "runs");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(result.err()).startsWith("error: the config file " + defaultConfig() + " must be");

    writeConfig(defaultConfig(), "contexts: [unclosed\n");
    CliHarness.Result broken = CliHarness.run(env(), "runs");
    assertThat(broken.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(broken.err())
        .startsWith("error: cannot read the config file " + defaultConfig() + ": ")
        .doesNotContain("Exception")
        .hasLineCount(1);
  }

  @Test
  void the_project_variable_is_not_sent_by_commands_outside_a_project() {
    server.on("GET", "/api/tokens", Answer.json(200, EMPTY_PAGE));

    CliHarness.Result result =
        CliHarness.run(
            env("RUNLEDGER_URL", server.url(), "RUNLEDGER_PROJECT", "payments"), "token", "list");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(server.only("GET", "/api/tokens").query()).doesNotContainKey("project");
  }
}
