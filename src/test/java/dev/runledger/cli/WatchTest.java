package dev.runledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runledger.cli.StubServer.Answer;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WatchTest {
  StubServer server;

  @BeforeEach
  void start() throws Exception {
    server = new StubServer();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  static Answer run(String status) {
    return Answer.json(
        200,
        "{\"id\":\"run_01\",\"status\":\""
            + status
            + "\",\"counts\":{\"succeeded\":"
            + (status.equals("completed") ? 1 : 0)
            + ",\"failed\":"
            + (status.equals("failed") ? 1 : 0)
            + "},\"durationMs\":"
            + (status.equals("running") ? "null" : "812")
            + "}");
  }

  static Answer tasks(String status, String attemptStatus, String extra) {
    return Answer.json(
        200,
        "{\"items\":[{\"name\":\"hello\",\"step\":\"hello\",\"status\":\""
            + status
            + "\",\"attempts\":[{\"number\":1,\"status\":\""
            + attemptStatus
            + "\"}]"
            + extra
            + "}],\"nextCursor\":null}");
  }

  @Test
  void follows_a_run_to_completed_tailing_logs_and_exits_zero() {
    server
        .on(
            "POST",
            "/api/actions/hello/trigger",
            Answer.json(202, "{\"id\":\"run_01\",\"status\":\"pending\"}"))
        .on("GET", "/api/runs/run_01", run("running"), run("running"), run("completed"))
        .on(
            "GET",
            "/api/runs/run_01/tasks",
            tasks("running", "running", ""),
            tasks("running", "running", ""),
            tasks("succeeded", "succeeded", ""))
        .on(
            "GET",
            "/api/runs/run_01/tasks/hello/logs",
            Answer.text("text/plain", "2026-11-21T07:00:00.000001Z stdout hello\n"),
            Answer.text(
                "text/plain",
                "2026-11-21T07:00:00.000001Z stdout hello\n"
                    + "2026-11-21T07:00:00.000002Z stderr world\n"));

    CliHarness.Result result = CliHarness.run(server, "trigger", "--action", "hello", "--watch");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out())
        .isEqualTo(
            "run_01\n"
                + "[hello] hello\n"
                + "step hello: 0/1 done, 1 running\n"
                + "[hello stderr] world\n"
                + "step hello: 1/1 done\n"
                + "run run_01 completed (1 succeeded) in 812ms\n");
    assertThat(server.requests("GET", "/api/runs/run_01/tasks/hello/logs"))
        .allSatisfy(r -> assertThat(r.query()).containsEntry("attempt", java.util.List.of("1")));
    assertThat(server.requests("GET", "/api/runs/run_01/tasks").get(0).header("Authorization"))
        .isEqualTo("Bearer " + CliHarness.TOKEN);
  }

  @Test
  void a_failed_run_prints_the_failure_cause_and_exits_one() {
    server
        .on(
            "POST",
            "/api/workflows/notify/trigger",
            Answer.json(202, "{\"id\":\"run_01\",\"status\":\"pending\"}"))
        .on("GET", "/api/runs/run_01", run("running"), run("failed"))
        .on(
            "GET",
            "/api/runs/run_01/tasks",
            tasks("queued", "none", ""),
            tasks(
                "failed",
                "failed",
                ",\"failure\":{\"kind\":\"transient\",\"cause\":\"HTTP 503 from"
                    + " messaging.example: service unavailable\",\"hint\":\"a retry may succeed\"}"))
        .on("GET", "/api/runs/run_01/tasks/hello/logs", Answer.text("text/plain", ""));

    CliHarness.Result result = CliHarness.run(server, "trigger", "notify", "--watch");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.out())
        .contains("task hello failed: HTTP 503 from messaging.example: service unavailable\n")
        .contains("  hint: a retry may succeed\n")
        .contains("step hello: 1/1 done, 1 failed\n")
        .endsWith("run run_01 failed (1 failed) in 812ms\n");
  }

  private void runningThenCompleted() {
    server
        .on(
            "POST",
            "/api/actions/hello/trigger",
            Answer.json(202, "{\"id\":\"run_01\",\"status\":\"pending\"}"))
        .on("GET", "/api/runs/run_01", run("running"), run("completed"))
        .on(
            "GET",
            "/api/runs/run_01/tasks",
            tasks(
                "running",
                "running",
                ",\"job\":{\"id\":\"job_1\",\"state\":\"leased\","
                    + "\"progress\":{\"percent\":40,\"message\":\"rows\"}}"),
            tasks("succeeded", "succeeded", ""))
        .on(
            "GET",
            "/api/runs/run_01/tasks/hello/logs",
            Answer.text("text/plain", "2026-11-21T07:00:00.000001Z stdout loaded 10 rows\n"));
  }

  @Test
  void on_a_terminal_the_run_is_one_progress_bar_with_messages_above_it() {
    runningThenCompleted();

    CliHarness.Result result =
        CliHarness.run(
            CliHarness.env(Map.of("RUNLEDGER_URL", server.url(), "NO_COLOR", "1"))
                .withTerminal(true),
            "trigger",
            "--action",
            "hello",
            "--watch");

    assertThat(result.exitCode()).as(result.err()).isZero();
    String out = result.out();
    // the library's bar: task name, percentage, block bar, ratio in tasks, what is under way
    assertThat(out)
        .containsPattern(
            "\rrun_01  40% \\|[█▏▎▍▌▋▊▉]+ +\\| 0/1 tasks \\(\\d+:\\d\\d:\\d\\d\\) hello 40% rows")
        .containsPattern("\rrun_01 100% \\|█+\\| 1/1 tasks \\(\\d+:\\d\\d:\\d\\d\\)");
    // messages scroll above the bar: the line is cleared, the message printed, the bar redrawn
    assertThat(out).containsPattern("\r *\r\\[hello\\] loaded 10 rows\n");
    assertThat(out).containsPattern("\r +\rstep hello: 1/1 done\n");
    assertThat(out).endsWith("\nrun run_01 completed (1 succeeded) in 812ms\n");
    // no cursor movement and, with NO_COLOR, no colour: no escape code at all
    assertThat(out).doesNotContain("\u001b");
  }

  @Test
  void on_a_terminal_with_colour_the_bar_and_the_status_are_coloured() {
    runningThenCompleted();

    CliHarness.Result result =
        CliHarness.run(
            CliHarness.env(server).withTerminal(true), "trigger", "--action", "hello", "--watch");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out())
        .contains("\u001b[33m│")
        .endsWith("run run_01 \u001b[32mcompleted\u001b[0m (1 succeeded) in 812ms\n");
  }

  @Test
  void off_a_terminal_there_is_no_bar_and_no_escape_code() {
    runningThenCompleted();

    CliHarness.Result result = CliHarness.run(server, "trigger", "--action", "hello", "--watch");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out())
        .isEqualTo(
            "run_01\n"
                + "[hello] loaded 10 rows\n"
                + "step hello: 40% rows\n"
                + "step hello: 1/1 done\n"
                + "run run_01 completed (1 succeeded) in 812ms\n");
  }

  @Test
  void on_a_terminal_a_failing_request_leaves_the_bar_on_its_own_line() {
    runningThenCompleted();
    server.on(
        "GET",
        "/api/runs/run_01",
        run("running"),
        Answer.problem(500, "{\"title\":\"Internal Server Error\",\"status\":500}"));

    CliHarness.Result result =
        CliHarness.run(
            CliHarness.env(server).withTerminal(true), "trigger", "--action", "hello", "--watch");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(result.out()).contains("0/1 tasks").endsWith("\n");
    assertThat(result.err()).isEqualTo("error: 500 Internal Server Error\n");
  }
}
