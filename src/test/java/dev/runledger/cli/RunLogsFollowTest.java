package dev.runledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runledger.testing.ApiClient;
import dev.runledger.testing.Runs;
import dev.runledger.testing.StoreKind;
import dev.runledger.testing.TestServer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code runs logs --follow} and the plain log against a real server. */
class RunLogsFollowTest {
  private TestServer server;
  private ApiClient admin;
  private ClientEnvironment env;

  @BeforeEach
  void start() {
    server = TestServer.start(StoreKind.SQLITE);
    admin = server.admin();
    env =
        CliHarness.env(
            Map.of(
                "RUNLEDGER_URL", server.node().url(), "RUNLEDGER_TOKEN", TestServer.ADMIN_TOKEN));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private String trigger(String yaml) {
    ApiClient.Response put = admin.putYaml("/api/actions/talk", yaml);
    assertThat(put.status()).as(put.text()).isIn(200, 201);
    ApiClient.Response r = admin.post("/api/actions/talk/trigger", Map.of());
    assertThat(r.status()).as(r.text()).isEqualTo(202);
    return r.json().get("id").asText();
  }

  @Test
  void follow_prints_the_lines_of_a_running_attempt_and_ends_with_it() throws Exception {
    String runId =
        trigger(
            """
            kind: action
            name: talk
            command:
              script: |
                echo one
                sleep 1
                echo two >&2
            """);
    Runs.awaitTask(admin, runId, "talk", "running");

    CompletableFuture<CliHarness.Result> follow =
        CompletableFuture.supplyAsync(
            () -> CliHarness.run(env, "runs", "logs", runId, "talk", "--follow"));

    CliHarness.Result result = follow.get(20, TimeUnit.SECONDS);
    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out())
        .matches(
            "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z stdout one\n"
                + "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z stderr two\n");
    Runs.awaitTerminal(admin, runId, Duration.ofSeconds(10));
  }
}
