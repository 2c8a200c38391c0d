package dev.runledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runledger.cli.StubServer.Answer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RunsCommandTest {
  static final String PAGE =
      "{\"items\":[{\"id\":\"run_02\",\"workflow\":\"kyc-review\",\"status\":\"failed\","
          + "\"trigger\":{\"type\":\"schedule\"},\"createdAt\":\"2026-11-21T06:00:00.123456Z\","
          + "\"durationMs\":5120},{\"id\":\"run_01\",\"workflow\":null,\"action\":\"hello\","
          + "\"status\":\"running\",\"trigger\":{\"type\":\"manual\"},"
          + "\"createdAt\":\"2026-11-20T06:00:00.000000Z\",\"durationMs\":null}],"
          + "\"nextCursor\":\"c2\"}";

  StubServer server;

  @BeforeEach
  void start() throws Exception {
    server = new StubServer();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void filters_become_the_query_string_and_runs_print_as_a_table() {
    server.on("GET", "/api/runs", Answer.json(200, PAGE));

    CliHarness.Result result =
        CliHarness.run(
            server,
            "runs",
            "--status",
            "failed",
            "--status",
            "completed-with-failures",
            "--workflow",
            "kyc-review",
            "--since",
            "7d",
            "--review",
            "pending",
            "--label",
            "team=compliance",
            "--limit",
            "20",
            "--project",
            "ops");

    assertThat(result.exitCode()).as(result.err()).isZero();
    StubServer.Request request = server.only("GET", "/api/runs");
    assertThat(request.query())
        .isEqualTo(
            Map.of(
                "status", List.of("failed", "completed-with-failures"),
                "workflow", List.of("kyc-review"),
                "since", List.of("2026-11-14T07:00:00.000000Z"),
                "review", List.of("pending"),
                "label", List.of("team:compliance"),
                "limit", List.of("20"),
                "project", List.of("ops")));
    assertThat(request.header("Authorization")).isEqualTo("Bearer " + CliHarness.TOKEN);
    assertThat(result.out())
        .isEqualTo(
            "ID      WORKFLOW/ACTION  STATUS   TRIGGER   CREATED              DURATION\n"
                + "run_02  kyc-review       failed   schedule  2026-11-21 06:00:00  5.1s\n"
                + "run_01  action:hello     running  manual    2026-11-20 06:00:00  -\n");
    assertThat(result.err()).isEqualTo("more runs: add --cursor c2\n");
  }

  @Test
  void sort_asks_for_the_latest_completed_first() {
    server.on("GET", "/api/runs", Answer.json(200, PAGE));

    CliHarness.Result result = CliHarness.run(server, "runs", "--sort", "completedAt");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(server.only("GET", "/api/runs").query())
        .containsEntry("sort", List.of("completedAt"));
  }

  @Test
  void since_accepts_a_timestamp_and_json_prints_the_answer() {
    server.on("GET", "/api/runs", Answer.json(200, PAGE));

    CliHarness.Result result =
        CliHarness.run(
            server, "runs", "--since", "2026-11-01T00:00:00+01:00", "--action", "hello", "--json");

    assertThat(result.exitCode()).isZero();
    assertThat(server.only("GET", "/api/runs").rawQuery())
        .isEqualTo("action=hello&since=2026-10-31T23%3A00%3A00.000000Z");
    assertThat(Json.parameterValue(result.out().strip()).path("nextCursor").asText())
        .isEqualTo("c2");
  }

  @Test
  void an_unknown_status_is_refused_before_any_request() {
    CliHarness.Result result = CliHarness.run(server, "runs", "--status", "done");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err()).startsWith("error: --status 'done' is not one of: pending, running");
    assertThat(server.requests()).isEmpty();
  }

  @Test
  void show_prints_the_summary_and_the_tasks() {
    server
        .on(
            "GET",
            "/api/runs/run_02",
            Answer.json(
                200,
                "{\"id\":\"run_02\",\"workflow\":\"kyc-review\",\"revision\":3,"
                    + "\"definitionHash\":\"sha256:9f2c\",\"status\":\"completed-with-failures\","
                    + "\"trigger\":{\"type\":\"schedule\",\"source\":\"scheduler\"},"
                    + "\"triggeredBy\":\"system:scheduler\",\"project\":\"default\","
                    + "\"parameters\":{\"region\":\"north\"},\"counts\":{\"succeeded\":1,"
                    + "\"failed\":1},\"review\":{\"status\":\"pending\"},\"durationMs\":5120}"))
        .on(
            "GET",
            "/api/runs/run_02/tasks",
            Answer.json(
                200,
                "{\"items\":[{\"name\":\"request-evidence[acct-17]\",\"status\":\"failed\","
                    + "\"attempts\":[{},{}],\"failure\":{\"cause\":\"HTTP 503\"},\"durationMs\":812},"
                    + "{\"name\":\"request-evidence[acct-18]\",\"status\":\"succeeded\","
                    + "\"attempts\":[{}],\"result\":{\"ref\":\"EVR-2231\"},\"durationMs\":90}],"
                    + "\"nextCursor\":null}"));

    CliHarness.Result result = CliHarness.run(server, "runs", "show", "run_02");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out())
        .contains("definition  kyc-review revision 3 (sha256:9f2c)\n")
        .contains("status      completed-with-failures\n")
        .contains("trigger     schedule via scheduler by system:scheduler\n")
        .contains("tasks       1 succeeded, 1 failed\n")
        .contains("TASK                       STATUS     ATTEMPTS  DURATION  RESULT OR CAUSE\n")
        .contains("request-evidence[acct-17]  failed     2         812ms     HTTP 503\n")
        .contains("request-evidence[acct-18]  succeeded  1         90ms      EVR-2231\n");
  }

  @Test
  void show_names_the_task_a_replay_returns() {
    server
        .on(
            "GET",
            "/api/runs/run_03",
            Answer.json(
                200, "{\"id\":\"run_03\",\"workflow\":\"kyc-review\",\"status\":\"completed\"}"))
        .on(
            "GET",
            "/api/runs/run_03/tasks",
            Answer.json(
                200,
                "{\"items\":[{\"name\":\"ask[acct-1]\",\"status\":\"idempotent-replay\","
                    + "\"attempts\":[],\"result\":{\"ref\":\"EVR-1\"},"
                    + "\"replayOf\":{\"runId\":\"run_01\",\"taskName\":\"ask[acct-1]\"}}],"
                    + "\"nextCursor\":null}"));

    CliHarness.Result result = CliHarness.run(server, "runs", "show", "run_03");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out()).contains("EVR-1 (replays run run_01, task ask[acct-1])");
  }

  @Test
  void logs_follow_prints_server_sent_events_until_the_stream_ends() {
    server.on(
        "GET",
        "/api/runs/run_01/tasks/request-evidence[acct-17]/logs",
        Answer.text(
            "text/event-stream",
            ": keep-alive\n\n"
                + "data: 2026-11-21T07:00:00.000001Z stdout one\n\n"
                + "event: log\ndata: 2026-11-21T07:00:00.000002Z stderr two\n\n"
                + "event: end\ndata: {}\n\n"
                + "data: never printed\n\n"));

    CliHarness.Result result =
        CliHarness.run(
            server,
            "runs",
            "logs",
            "run_01",
            "request-evidence[acct-17]",
            "--attempt",
            "2",
            "--follow");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out())
        .isEqualTo(
            "2026-11-21T07:00:00.000001Z stdout one\n"
                + "2026-11-21T07:00:00.000002Z stderr two\n");
    StubServer.Request request = server.requests().get(0);
    assertThat(request.rawQuery()).isEqualTo("attempt=2&follow=true");
    assertThat(request.header("Accept")).isEqualTo("text/event-stream");
  }

  @Test
  void logs_follow_prints_line_events_as_the_text_log_with_control_characters_escaped() {
    server.on(
        "GET",
        "/api/runs/run_01/tasks/hello/logs",
        Answer.text(
            "text/event-stream",
            "event: line\ndata: {\"at\":\"2026-11-21T07:00:00.000001Z\",\"stream\":\"stdout\","
                + "\"line\":\"one \\u001b[31mred\\u0007\"}\n\n"
                + ": keep-alive\n\n"
                + "event: line\ndata: {\"at\":\"2026-11-21T07:00:00.000002Z\",\"stream\":\"stderr\","
                + "\"line\":\"x\\r2001-01-01T00:00:00.000000Z stdout FORGED\"}\n\n"
                + "event: end\ndata: {\"status\":\"succeeded\",\"attempt\":1}\n\n"
                + "event: line\ndata: {\"at\":\"x\",\"stream\":\"stdout\",\"line\":\"never\"}\n\n"));

    CliHarness.Result result = CliHarness.run(server, "runs", "logs", "run_01", "hello", "-f");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out())
        .isEqualTo(
            "2026-11-21T07:00:00.000001Z stdout one \\x1b[31mred\\x07\n"
                + "2026-11-21T07:00:00.000002Z stderr x\\r2001-01-01T00:00:00.000000Z stdout FORGED\n");
  }

  @Test
  void logs_split_lines_at_newlines_only_and_show_control_characters_as_escapes() {
    server.on(
        "GET",
        "/api/runs/run_01/tasks/hello/logs",
        Answer.text(
            "text/plain",
            "2026-11-21T07:00:00.000001Z stdout x\r2001-01-01T00:00:00.000000Z stderr FORGED\n"
                + "2026-11-21T07:00:00.000002Z stdout bell \u0007 escape \u001b]0;title\u0007\n"));

    CliHarness.Result result = CliHarness.run(server, "runs", "logs", "run_01", "hello");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out())
        .isEqualTo(
            "2026-11-21T07:00:00.000001Z stdout x\\r2001-01-01T00:00:00.000000Z stderr FORGED\n"
                + "2026-11-21T07:00:00.000002Z stdout bell \\x07 escape \\x1b]0;title\\x07\n");
  }

  @Test
  void cancel_retry_and_rerun_send_their_bodies() {
    server
        .on(
            "POST",
            "/api/runs/run_01/cancel",
            Answer.json(200, "{\"id\":\"run_01\",\"status\":\"running\"}"))
        .on(
            "POST",
            "/api/runs/run_01/retry",
            Answer.problem(
                409,
                "{\"title\":\"Conflict\",\"status\":409,\"detail\":\"task a failed"
                    + " deterministically (HTTP 404); use force to retry anyway\"}"))
        .on("POST", "/api/runs/run_01/rerun", Answer.json(202, "{\"id\":\"run_09\"}"))
        .on(
            "POST",
            "/api/runs/run_02/abort",
            Answer.json(200, "{\"id\":\"run_02\",\"status\":\"running\"}"));

    CliHarness.Result cancel =
        CliHarness.run(server, "runs", "cancel", "run_01", "--reason", "wrong region");
    CliHarness.Result retry =
        CliHarness.run(server, "runs", "retry", "run_01", "--task", "a", "--task", "b");
    CliHarness.Result rerun = CliHarness.run(server, "runs", "rerun", "run_01", "--no-pin");
    CliHarness.Result abort =
        CliHarness.run(server, "runs", "abort", "run_02", "--reason", "stuck");

    assertThat(cancel.out()).isEqualTo("cancel requested for run_01: run is running\n");
    assertThat(server.only("POST", "/api/runs/run_01/cancel").json().toString())
        .isEqualTo("{\"reason\":\"wrong region\"}");
    assertThat(retry.exitCode()).isEqualTo(ExitCodes.REJECTED);
    assertThat(retry.err())
        .isEqualTo(
            "error: 409 Conflict: task a failed deterministically (HTTP 404); use force to retry"
                + " anyway\n");
    assertThat(server.only("POST", "/api/runs/run_01/retry").json().toString())
        .isEqualTo("{\"tasks\":[\"a\",\"b\"]}");
    assertThat(rerun.out()).isEqualTo("run_09\n");
    assertThat(abort.out()).isEqualTo("abort requested for run_02: run is running\n");
    assertThat(server.only("POST", "/api/runs/run_02/abort").json().toString())
        .isEqualTo("{\"reason\":\"stuck\"}");
    assertThat(server.only("POST", "/api/runs/run_01/rerun").json().toString())
        .isEqualTo("{\"pin\":false}");
  }

  @Test
  void retry_with_force_and_new_key_sends_both() {
    server.on(
        "POST",
        "/api/runs/run_03/retry",
        Answer.json(200, "{\"id\":\"run_03\",\"status\":\"running\"}"));
    CliHarness.Result retry =
        CliHarness.run(
            server, "runs", "retry", "run_03", "--task", "open-finding", "--force", "--new-key");
    assertThat(retry.exitCode()).isZero();
    assertThat(retry.out()).isEqualTo("retry accepted for run_03: run is running\n");
    assertThat(server.only("POST", "/api/runs/run_03/retry").json().toString())
        .isEqualTo("{\"tasks\":[\"open-finding\"],\"force\":true,\"newKey\":true}");
  }

  @Test
  void review_sends_the_decision_and_comment_and_prints_the_outcome() {
    server.on(
        "POST",
        "/api/runs/run_01/review",
        Answer.json(
            200,
            "{\"id\":\"run_01\",\"status\":\"completed\",\"review\":{\"status\":\"rejected\",\"by\":\"alice\"}}"));
    CliHarness.Result result =
        CliHarness.run(server, "runs", "review", "run_01", "--reject", "--comment", "numbers off");
    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).isEqualTo("run_01 review rejected by alice (run completed)\n");
    assertThat(server.only("POST", "/api/runs/run_01/review").json().toString())
        .isEqualTo("{\"decision\":\"reject\",\"comment\":\"numbers off\"}");
    CliHarness.Result neither = CliHarness.run(server, "runs", "review", "run_01");
    assertThat(neither.exitCode()).isEqualTo(2);
  }
}
