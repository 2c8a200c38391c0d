package dev.runledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runledger.cli.StubServer.Answer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TasksCommandTest {
  static final String PAGE =
      "{\"items\":[{\"runId\":\"run_02\",\"name\":\"notify[acct-17]\",\"action\":\"notify\","
          + "\"status\":\"failed\",\"triggeredBy\":\"lee\","
          + "\"startedAt\":\"2026-11-21T06:00:00.123456Z\",\"durationMs\":812},"
          + "{\"runId\":\"run_01\",\"name\":\"hello\",\"action\":\"hello\",\"status\":\"queued\","
          + "\"triggeredBy\":\"system:scheduler\",\"startedAt\":null,\"durationMs\":null}],"
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
  void filters_become_the_query_string_and_tasks_print_with_their_run() {
    server.on("GET", "/api/tasks", Answer.json(200, PAGE));

    CliHarness.Result result =
        CliHarness.run(
            server,
            "tasks",
            "--status",
            "failed",
            "--status",
            "queued",
            "--action",
            "notify",
            "--triggered-by",
            "lee",
            "--since",
            "7d",
            "--limit",
            "20",
            "--project",
            "ops");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(server.only("GET", "/api/tasks").query())
        .isEqualTo(
            Map.of(
                "status", List.of("failed", "queued"),
                "action", List.of("notify"),
                "triggeredBy", List.of("lee"),
                "since", List.of("2026-11-14T07:00:00.000000Z"),
                "limit", List.of("20"),
                "project", List.of("ops")));
    assertThat(result.out())
        .isEqualTo(
            "STATUS  TASK             ACTION  TRIGGERED BY      STARTED              DURATION  RUN\n"
                + "failed  notify[acct-17]  notify  lee               2026-11-21 06:00:00  812ms"
                + "     run_02\n"
                + "queued  hello            hello   system:scheduler  -                    -"
                + "         run_01\n");
    assertThat(result.err()).isEqualTo("more tasks: add --cursor c2\n");
  }

  @Test
  void an_unknown_status_fails_before_any_request() {
    CliHarness.Result result = CliHarness.run(server, "tasks", "--status", "done");

    assertThat(result.exitCode()).isNotZero();
    assertThat(result.err()).contains("--status", "done");
    assertThat(server.requests()).isEmpty();
  }
}
