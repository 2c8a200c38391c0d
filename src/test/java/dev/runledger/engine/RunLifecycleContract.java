package dev.runledger.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runledger.model.Json;
import dev.runledger.testing.ApiClient;
import dev.runledger.testing.Runs;
import dev.runledger.testing.StoreKind;
import dev.runledger.testing.TestServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One-off action runs end to end through the API, on each store. */
abstract class RunLifecycleContract {
  private TestServer server;
  private ApiClient api;

  abstract StoreKind store();

  @BeforeEach
  void start() {
    server = TestServer.start(store());
    api = server.admin();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private void define(String yaml) {
    String name =
        yaml.lines()
            .filter(l -> l.startsWith("name:"))
            .findFirst()
            .orElseThrow()
            .substring(5)
            .trim();
    ApiClient.Response r = api.putYaml("/api/actions/" + name, yaml);
    assertThat(r.status()).as(r.text()).isIn(200, 201);
  }

  @Test
  void command_action_runs_to_completed_with_outputs_logs_and_a_sealed_audit_trail() {
    define(
        """
        kind: action
        name: greet
        inputs: {type: object, properties: {who: {type: string, default: world}}}
        command:
          run: [bash, -c, 'echo "hi $1"; echo "::progress 50 half"; echo "who=$1" >> "$RUNLEDGER_OUTPUT"', x, "${{ inputs.who }}"]
        result: "${{ outputs.who }}"
        """);
    ApiClient.Response trigger =
        api.post("/api/actions/greet/trigger", Map.of("parameters", Map.of("who", "Sigrid")));
    assertThat(trigger.status()).isEqualTo(202);
    String id = trigger.json().get("id").asText();
    assertThat(id).startsWith("run_");

    JsonNode run = Runs.awaitTerminal(api, id);
    assertThat(run.get("status").asText()).isEqualTo("completed");
    assertThat(run.get("action").asText()).isEqualTo("greet");
    assertThat(run.get("actionsInvoked").asInt()).isEqualTo(1);
    assertThat(run.get("counts").get("succeeded").asInt()).isEqualTo(1);
    assertThat(run.get("definitionHash").asText()).startsWith("sha256:");
    assertThat(run.get("createdAt").asText())
        .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z");
    assertThat(run.get("trigger").get("at").asText())
        .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z");

    JsonNode task = api.get("/api/runs/" + id + "/tasks/greet").json();
    assertThat(task.get("status").asText()).isEqualTo("succeeded");
    assertThat(task.get("result").get("ref").asText()).isEqualTo("Sigrid");
    assertThat(task.get("result").get("outputs").get("who").asText()).isEqualTo("Sigrid");
    assertThat(task.get("idempotencyKey").asText()).isEqualTo(id + "/greet");
    assertThat(task.get("attempts")).hasSize(1);
    assertThat(task.get("attempts").get(0).get("exitCode").asInt()).isZero();
    assertThat(task.get("job").get("state").asText()).isEqualTo("done");
    // The last progress line is kept on the job, however quickly the attempt ended.
    assertThat(task.get("job").get("progress").get("percent").asInt()).isEqualTo(50);
    assertThat(task.get("job").get("progress").get("message").asText()).isEqualTo("half");

    String logs = api.get("/api/runs/" + id + "/tasks/greet/logs").text();
    assertThat(logs).contains(" stdout hi Sigrid");

    JsonNode timeline = api.get("/api/runs/" + id + "/audit").json().get("items");
    assertThat(timeline.findValuesAsText("type"))
        .contains("run.created", "task.created", "task.status-changed", "run.status-changed");
    JsonNode verify = api.get("/api/audit/verify").json();
    assertThat(verify.get("ok").asBoolean()).isTrue();
    assertThat(verify.get("events").asLong()).isGreaterThan(5);
  }

  @Test
  void transient_failures_are_retried_per_policy_then_the_task_fails_transient() {
    define(
        """
        kind: action
        name: flaky
        command:
          run: [bash, -c, 'echo "attempt $RUNLEDGER_ATTEMPT" >&2; exit 75']
          retryableExitCodes: [75]
        retry: {maxAttempts: 3, backoff: 10ms}
        """);
    String id = api.post("/api/actions/flaky/trigger", Map.of()).json().get("id").asText();
    JsonNode run = Runs.awaitTerminal(api, id);
    assertThat(run.get("status").asText()).isEqualTo("failed");
    JsonNode task = api.get("/api/runs/" + id + "/tasks/flaky").json();
    assertThat(task.get("attempts")).hasSize(3);
    assertThat(task.get("failure").get("kind").asText()).isEqualTo("transient");
    assertThat(task.get("failure").get("cause").asText()).contains("exit code 75");
    assertThat(task.get("failure").get("hint").asText()).isNotBlank();
  }

  @Test
  void idempotency_key_on_trigger_returns_the_same_run() {
    define("kind: action\nname: nothing\nbuiltin: {noop: {}}\n");
    ApiClient.Response first =
        api.post("/api/actions/nothing/trigger", Json.object(), Map.of("Idempotency-Key", "k-1"));
    ApiClient.Response second =
        api.post("/api/actions/nothing/trigger", Json.object(), Map.of("Idempotency-Key", "k-1"));
    assertThat(first.status()).isEqualTo(202);
    assertThat(second.status()).isEqualTo(200);
    assertThat(second.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(second.json().get("id").asText()).isEqualTo(first.json().get("id").asText());
    assertThat(api.get("/api/runs?action=nothing").json().get("items")).hasSize(1);
  }

  @Test
  void an_inline_built_in_runs_once_and_its_job_ends_done_with_that_attempt() {
    define("kind: action\nname: nothing\nbuiltin: {noop: {}}\n");
    String id = api.post("/api/actions/nothing/trigger", Map.of()).json().get("id").asText();
    JsonNode run = Runs.awaitTerminal(api, id);
    assertThat(run.get("status").asText()).isEqualTo("completed");
    assertThat(run.get("actionsInvoked").asInt()).isEqualTo(1);
    JsonNode task = api.get("/api/runs/" + id + "/tasks/nothing").json();
    assertThat(task.get("attempts")).hasSize(1);
    assertThat(task.get("attempts").get(0).get("number").asInt()).isEqualTo(1);
    assertThat(task.get("attempts").get(0).get("status").asText()).isEqualTo("succeeded");
    var job = server.node().store().read(tx -> tx.jobs().forTask(id, "nothing")).orElseThrow();
    assertThat(job.state().wire()).isEqualTo("done");
    assertThat(job.attempt()).isEqualTo(1);
    assertThat(job.leaseOwner()).isNull();
  }

  @Test
  void durable_sleep_holds_no_worker_and_completes_when_due() {
    define("kind: action\nname: nap\nbuiltin: {sleep: {for: 1s}}\n");
    String id = api.post("/api/actions/nap/trigger", Map.of()).json().get("id").asText();
    Runs.awaitTask(api, id, "nap", "running");
    assertThat(server.node().workers().inFlight()).isZero();
    JsonNode run = Runs.awaitTerminal(api, id);
    assertThat(run.get("status").asText()).isEqualTo("completed");
    assertThat(run.get("durationMs").asLong()).isGreaterThanOrEqualTo(900);
  }

  @Test
  void lists_audit_and_reports_take_any_time_of_the_supported_range() {
    define("kind: action\nname: quick\nbuiltin: {noop: {}}\n");
    String id = api.post("/api/actions/quick/trigger", Map.of()).json().get("id").asText();
    Runs.awaitTerminal(api, id);
    String range = "since=0001-01-01T00:00:00Z&until=9999-12-31T23:59:59.999999Z";
    ApiClient.Response runs = api.get("/api/runs?" + range);
    assertThat(runs.status()).as(runs.text()).isEqualTo(200);
    assertThat(runs.json().get("items")).hasSize(1);
    ApiClient.Response audit = api.get("/api/audit?type=run.created&" + range);
    assertThat(audit.status()).as(audit.text()).isEqualTo(200);
    assertThat(audit.json().get("items")).hasSize(1);
    // Beyond the year 2262 epoch nanoseconds overflow a long; the stores count microseconds.
    ApiClient.Response later = api.get("/api/runs?since=2300-01-01T00:00:00Z");
    assertThat(later.status()).as(later.text()).isEqualTo(200);
    assertThat(later.json().get("items")).isEmpty();
    ApiClient.Response report = api.get("/api/reports/runs?from=0001-01-01&to=9999-12-31");
    assertThat(report.status()).as(report.text()).isEqualTo(200);
    assertThat(report.text()).contains("\"quick\"");
  }

  @Test
  void a_sleep_until_a_far_time_is_recorded_and_one_past_the_supported_range_fails_at_once() {
    define("kind: action\nname: nap\nbuiltin: {sleep: {until: \"3000-01-01T00:00:00Z\"}}\n");
    define(
        """
        kind: action
        name: nap-until
        inputs: {type: object, properties: {when: {type: string}}}
        builtin: {sleep: {until: "${{ inputs.when }}"}}
        """);
    String far = api.post("/api/actions/nap/trigger", Map.of()).json().get("id").asText();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                api.get("/api/runs/" + far + "/audit")
                    .text()
                    .contains("3000-01-01T00:00:00.000000Z"));
    assertThat(api.get("/api/runs/" + far + "/tasks/nap").json().get("attempts")).hasSize(1);

    String beyond =
        api.post(
                "/api/actions/nap-until/trigger",
                Map.of("parameters", Map.of("when", "+10000-01-01T00:00:00Z")))
            .json()
            .get("id")
            .asText();
    assertThat(Runs.awaitTerminal(api, beyond).get("status").asText()).isEqualTo("failed");
    JsonNode failure = api.get("/api/runs/" + beyond + "/tasks/nap-until").json().get("failure");
    assertThat(failure.get("kind").asText()).isEqualTo("deterministic");
    assertThat(failure.get("cause").asText())
        .contains("sleep.until")
        .contains("+10000-01-01T00:00:00Z")
        .contains("years 0001 to 9999");
    assertThat(api.post("/api/runs/" + far + "/cancel", Map.of()).status()).isEqualTo(200);
  }
}
