package dev.runledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runledger.cli.StubServer.Answer;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One exit code per kind of outcome, as README's CLI section lists them. */
class ExitCodesTest {
  static StubServer server;

  @BeforeAll
  static void start() throws Exception {
    server =
        new StubServer()
            .on("GET", "/api/runs/run_ok", Answer.json(200, "{\"id\":\"run_ok\"}"))
            .on("GET", "/api/runs/run_ok/tasks", Answer.json(200, "{\"items\":[]}"))
            .on(
                "GET",
                "/api/runs/missing",
                Answer.problem(404, "{\"title\":\"Not Found\",\"status\":404}"))
            .on(
                "GET",
                "/api/secrets",
                Answer.problem(403, "{\"title\":\"Forbidden\",\"status\":403}"))
            .on(
                "GET",
                "/api/tokens",
                Answer.problem(401, "{\"title\":\"Unauthorized\",\"status\":401}"))
            .on(
                "POST",
                "/api/runs/run_ok/cancel",
                Answer.problem(409, "{\"title\":\"Conflict\",\"status\":409}"))
            .on(
                "POST",
                "/api/workflows/w/trigger",
                Answer.problem(400, "{\"title\":\"Bad Request\",\"status\":400}"))
            .on(
                "GET",
                "/api/approvals",
                Answer.problem(503, "{\"title\":\"Service Unavailable\",\"status\":503}"))
            .on(
                "GET",
                "/api/tasks",
                Answer.problem(500, "{\"title\":\"Internal Server Error\",\"status\":500}"));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static int code(String... args) {
    return CliHarness.run(server, args).exitCode();
  }

  @Test
  void success_is_zero() {
    assertThat(code("runs", "show", "run_ok")).isEqualTo(ExitCodes.OK).isZero();
  }

  @Test
  void usage_errors_are_two_whether_picocli_or_the_command_finds_them() {
    assertThat(code("runs", "--no-such-option")).isEqualTo(ExitCodes.USAGE).isEqualTo(2);
    assertThat(code("runs", "show")).isEqualTo(2);
    assertThat(code("runs", "--since", "yesterday")).isEqualTo(2);
    assertThat(code("trigger", "w", "--action", "--workflow")).isEqualTo(2);
    assertThat(
            CliHarness.run(CliHarness.env(Map.of("RUNLEDGER_URL", "ftp://x")), "runs").exitCode())
        .isEqualTo(2);
  }

  @Test
  void not_found_is_three() {
    assertThat(code("runs", "show", "missing")).isEqualTo(ExitCodes.NOT_FOUND).isEqualTo(3);
  }

  @Test
  void unauthorized_and_forbidden_are_four() {
    assertThat(code("token", "list")).isEqualTo(ExitCodes.DENIED).isEqualTo(4);
    assertThat(code("secrets", "list")).isEqualTo(4);
  }

  @Test
  void an_unreachable_or_unavailable_server_is_five() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    ClientEnvironment nowhere = CliHarness.env(Map.of("RUNLEDGER_URL", "http://127.0.0.1:" + port));

    assertThat(CliHarness.run(nowhere, "runs").exitCode())
        .isEqualTo(ExitCodes.UNREACHABLE)
        .isEqualTo(5);
    assertThat(code("approvals")).isEqualTo(5);
  }

  @Test
  void validation_and_conflicts_are_six() {
    assertThat(code("trigger", "w")).isEqualTo(ExitCodes.REJECTED).isEqualTo(6);
    assertThat(code("runs", "cancel", "run_ok")).isEqualTo(6);
  }

  @Test
  void a_server_error_is_one() {
    assertThat(code("tasks")).isEqualTo(ExitCodes.FAILED).isEqualTo(1);
  }
}
