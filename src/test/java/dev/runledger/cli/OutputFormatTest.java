package dev.runledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runledger.cli.StubServer.Answer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code -o json|yaml} prints the server's answer, for each family that prints a resource. */
class OutputFormatTest {
  static final String RUN =
      "{\"id\":\"run_01\",\"workflow\":\"deploy\",\"status\":\"completed\",\"project\":\"default\","
          + "\"trigger\":{\"type\":\"manual\"},\"counts\":{\"completed\":1}}";
  static final String TASKS =
      "{\"items\":[{\"name\":\"build\",\"step\":\"build\",\"status\":\"succeeded\","
          + "\"attempts\":[{\"number\":1,\"status\":\"succeeded\"}]}],\"nextCursor\":null}";
  static StubServer server;

  @BeforeAll
  static void start() throws Exception {
    server =
        new StubServer()
            .on("POST", "/api/workflows/deploy/trigger", Answer.json(201, RUN))
            .on("GET", "/api/runs/run_01", Answer.json(200, RUN))
            .on("GET", "/api/runs/run_01/tasks", Answer.json(200, TASKS))
            .on(
                "GET",
                "/api/runs",
                Answer.json(200, "{\"items\":[" + RUN + "],\"nextCursor\":null}"))
            .on("GET", "/api/tasks", Answer.json(200, TASKS))
            .on(
                "GET",
                "/api/actions",
                Answer.json(
                    200,
                    "{\"items\":[{\"kind\":\"action\",\"name\":\"noop\",\"revision\":2,"
                        + "\"definitionHash\":\"sha256:aa\"}],\"nextCursor\":null}"))
            .on(
                "GET",
                "/api/workflows",
                Answer.json(
                    200,
                    "{\"items\":[{\"kind\":\"workflow\",\"name\":\"deploy\",\"revision\":1,"
                        + "\"definitionHash\":\"sha256:bb\"}],\"nextCursor\":null}"))
            .on(
                "GET",
                "/api/approvals",
                Answer.json(
                    200,
                    "{\"items\":[{\"id\":\"apr_1\",\"state\":\"pending\",\"runId\":\"run_01\"}],"
                        + "\"nextCursor\":null}"))
            .on(
                "GET",
                "/api/tokens",
                Answer.json(
                    200, "{\"items\":[{\"id\":\"tok_1\",\"name\":\"ci\",\"role\":\"operator\"}]}"))
            .on(
                "GET",
                "/api/secrets",
                Answer.json(200, "{\"items\":[{\"name\":\"DB_PASSWORD\",\"version\":3}]}"))
            .on(
                "GET",
                "/api/reports/runs",
                Answer.json(
                    200,
                    "{\"from\":\"2026-11-01\",\"to\":\"2026-12-01\",\"groupBy\":\"workflow\","
                        + "\"groups\":[{\"workflow\":\"deploy\",\"runs\":{\"total\":4}}]}"));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** Runs a command with -o json and with -o yaml; both must print the same document. */
  static JsonNode both(String... args) throws Exception {
    CliHarness.Result json = CliHarness.run(server, with(args, "-o", "json"));
    CliHarness.Result yaml = CliHarness.run(server, with(args, "--output", "yaml"));
    assertThat(json.exitCode()).as(json.err()).isZero();
    assertThat(yaml.exitCode()).as(yaml.err()).isZero();
    assertThat(json.out()).matches("(?s)[\\[{].*");
    assertThat(yaml.out()).doesNotStartWith("{").doesNotStartWith("---");
    JsonNode fromJson = Json.MAPPER.readTree(json.out());
    assertThat(Json.YAML.readTree(yaml.out())).isEqualTo(fromJson);
    return fromJson;
  }

  static String[] with(String[] args, String... more) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  @Test
  void trigger_prints_the_run_instead_of_its_id() throws Exception {
    assertThat(both("trigger", "deploy")).isEqualTo(Json.MAPPER.readTree(RUN));
    assertThat(CliHarness.run(server, "trigger", "deploy").out()).isEqualTo("run_01\n");
  }

  @Test
  void trigger_watch_with_json_prints_the_run_as_it_ended_and_the_progress_on_stderr()
      throws Exception {
    CliHarness.Result result = CliHarness.run(server, "trigger", "deploy", "--watch", "-o", "json");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(Json.MAPPER.readTree(result.out())).isEqualTo(Json.MAPPER.readTree(RUN));
    assertThat(result.err()).contains("step build: 1/1 done").contains("run run_01 completed");
  }

  @Test
  void runs_show_prints_the_run_and_its_tasks() throws Exception {
    JsonNode shown = both("runs", "show", "run_01");
    assertThat(shown.path("run").path("id").asText()).isEqualTo("run_01");
    assertThat(shown.path("tasks").get(0).path("name").asText()).isEqualTo("build");
  }

  @Test
  void runs_and_tasks_print_their_pages() throws Exception {
    assertThat(both("runs").path("items").get(0).path("id").asText()).isEqualTo("run_01");
    assertThat(both("tasks").path("items").get(0).path("name").asText()).isEqualTo("build");
    // --json stays the same as -o json
    assertThat(Json.MAPPER.readTree(CliHarness.run(server, "runs", "--json").out()))
        .isEqualTo(both("runs"));
  }

  @Test
  void definitions_print_one_list_of_both_kinds() throws Exception {
    assertThat(both("definitions").findValuesAsText("name")).containsExactly("noop", "deploy");
  }

  @Test
  void approvals_tokens_and_secrets_print_their_pages() throws Exception {
    assertThat(both("approvals").path("items").get(0).path("id").asText()).isEqualTo("apr_1");
    assertThat(both("token", "list").path("items").get(0).path("name").asText()).isEqualTo("ci");
    assertThat(both("secrets", "list").path("items").get(0).path("name").asText())
        .isEqualTo("DB_PASSWORD");
  }

  @Test
  void report_prints_the_report() throws Exception {
    JsonNode report = both("report", "--from", "2026-11-01", "--to", "2026-12-01");
    assertThat(report.path("groups").get(0).path("runs").path("total").asInt()).isEqualTo(4);
  }

  @Test
  void an_unknown_format_is_a_usage_error_naming_the_formats() {
    CliHarness.Result result = CliHarness.run(server, "runs", "-o", "xml");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err()).contains("'xml' is not an output format: use table, json or yaml");
  }
}
