package dev.runledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runledger.testing.ApiClient;
import dev.runledger.testing.StoreKind;
import dev.runledger.testing.TestServer;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code events send}, {@code secrets set|list|delete}, {@code hooks rotate}, {@code schedules
 * fire} against a server.
 */
class TriggerCommandsTest {
  private TestServer server;
  private ClientEnvironment env;

  @BeforeEach
  void start() {
    server = TestServer.start(StoreKind.SQLITE);
    env =
        CliHarness.env(
            Map.of(
                "RUNLEDGER_URL", server.node().url(), "RUNLEDGER_TOKEN", TestServer.ADMIN_TOKEN));
    ApiClient admin = server.admin();
    admin.putYaml("/api/actions/ok", "kind: action\nname: ok\nbuiltin: {noop: {}}\n");
    admin.putYaml(
        "/api/workflows/listener",
        """
        kind: workflow
        name: listener
        on:
          events:
            - {type: kyc.policy.changed, if: "event.data.severity != 'low'"}
        steps:
          - {id: one, uses: ok}
        """);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void events_send_starts_the_listening_workflows_and_the_same_id_again_nothing() {
    CliHarness.Result sent =
        CliHarness.run(
            env,
            "events",
            "send",
            "--type",
            "kyc.policy.changed",
            "--source",
            "/policies",
            "--id",
            "p-1",
            "--data",
            "{\"severity\": \"high\"}");
    assertThat(sent.exitCode()).as(sent.err()).isZero();
    assertThat(sent.out()).contains("event evt_").contains("run run_");

    CliHarness.Result again =
        CliHarness.run(
            env,
            "events",
            "send",
            "--type",
            "kyc.policy.changed",
            "--source",
            "/policies",
            "--id",
            "p-1",
            "--data",
            "{\"severity\": \"high\"}");
    assertThat(again.out()).contains("sent before");

    CliHarness.Result runs = CliHarness.run(env, "runs", "--trigger", "event");
    assertThat(runs.exitCode()).as(runs.err()).isZero();
    assertThat(runs.out()).contains("listener");
    assertThat(CliHarness.run(env, "runs", "--trigger", "schedule").out())
        .doesNotContain("listener");
  }

  @Test
  void secrets_set_list_and_delete_never_print_the_value() {
    CliHarness.Result set =
        CliHarness.run(env, "secrets", "set", "MESSAGING_TOKEN", "--value", "tok-123456");
    assertThat(set.exitCode()).as(set.err()).isZero();
    assertThat(set.out()).contains("created secret MESSAGING_TOKEN");
    CliHarness.Result list = CliHarness.run(env, "secrets", "list");
    assertThat(list.out()).contains("MESSAGING_TOKEN").doesNotContain("tok-123456");
    assertThat(CliHarness.run(env, "secrets", "delete", "MESSAGING_TOKEN").exitCode()).isZero();
    assertThat(CliHarness.run(env, "secrets", "list").out()).contains("no secrets");
  }

  @Test
  void hooks_rotate_prints_a_working_url_once() {
    CliHarness.Result rotated = CliHarness.run(env, "hooks", "rotate", "listener");
    assertThat(rotated.exitCode()).as(rotated.err()).isZero();
    String url = rotated.out().trim().substring("url: ".length());
    assertThat(url).startsWith(server.node().url() + "/hooks/listener/");
    String path = url.substring(server.node().url().length());
    assertThat(server.client(null).post(path, Map.of("a", 1)).status()).isEqualTo(202);
  }

  @Test
  void schedules_fire_starts_a_run_of_the_schedule_now_and_prints_its_id() {
    server
        .admin()
        .putYaml(
            "/api/workflows/nightly",
            """
            kind: workflow
            name: nightly
            on:
              schedule: [{cron: "0 3 * * *"}, {cron: "0 15 * * *", timezone: Europe/Oslo}]
            steps:
              - {id: one, uses: ok}
            """);
    CliHarness.Result fired = CliHarness.run(env, "schedules", "fire", "nightly", "1");
    assertThat(fired.exitCode()).as(fired.err()).isZero();
    String id = fired.out().trim();
    assertThat(id).startsWith("run_");
    var run = server.admin().get("/api/runs/" + id).json();
    assertThat(run.get("trigger").get("type").asText()).isEqualTo("schedule");
    assertThat(run.get("trigger").get("source").asText()).isEqualTo("cli");
    assertThat(run.get("trigger").get("schedule").get("index").asInt()).isEqualTo(1);
    assertThat(run.get("trigger").get("schedule").get("timezone").asText())
        .isEqualTo("Europe/Oslo");

    CliHarness.Result missing = CliHarness.run(env, "schedules", "fire", "nightly", "2");
    assertThat(missing.exitCode()).isNotZero();
    assertThat(missing.err()).contains("has no schedule 2");
  }
}
