package dev.runledger.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runledger.testing.ApiClient;
import dev.runledger.testing.Processes;
import dev.runledger.testing.Runs;
import dev.runledger.testing.StoreKind;
import dev.runledger.testing.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Cancel (not-started tasks skipped, in-flight attempts finish), abort (in-flight process trees
 * terminated) and timeouts (the tree is terminated too), on each store.
 */
abstract class CancelAbortContract {
  private TestServer server;
  private ApiClient api;
  private final Set<String> runIds = new HashSet<>();

  abstract StoreKind store();

  @BeforeEach
  void start() {
    server = TestServer.start(store(), c -> c.withWorkers(2));
    api = server.admin();
  }

  @AfterEach
  void stop() {
    server.close();
    if (!runIds.isEmpty()) {
      Processes.killAll(Processes.withEnvironment("RUNLEDGER_RUN_ID", runIds));
    }
  }

  private void define(String name, String yaml) {
    ApiClient.Response r = api.putYaml("/api/actions/" + name, yaml);
    assertThat(r.status()).as(r.text()).isIn(200, 201);
  }

  private String trigger(String action) {
    ApiClient.Response r = api.post("/api/actions/" + action + "/trigger", Map.of());
    assertThat(r.status()).as(r.text()).isEqualTo(202);
    String id = r.json().get("id").asText();
    runIds.add(id);
    return id;
  }

  private JsonNode task(String runId, String name) {
    return api.get("/api/runs/" + runId + "/tasks/" + name).json();
  }

  private List<ProcessHandle> processesOf(String runId) {
    return Processes.withEnvironment("RUNLEDGER_RUN_ID", Set.of(runId));
  }

  @Test
  void cancel_skips_queued_tasks_lets_running_attempts_finish_and_ends_every_run_cancelled() {
    define(
        "step",
        """
        kind: action
        name: step
        command:
          run: [bash, -c, 'sleep 2; echo "finished=yes" >> "$RUNLEDGER_OUTPUT"']
        """);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      ids.add(trigger("step"));
    }
    // Two workers: two tasks run, ten wait in the queue.
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () ->
                ids.stream()
                        .filter(id -> task(id, "step").get("status").asText().equals("running"))
                        .count()
                    == 2);
    List<String> running = new ArrayList<>();
    List<String> queued = new ArrayList<>();
    for (String id : ids) {
      String status = task(id, "step").get("status").asText();
      (status.equals("running") ? running : queued).add(id);
    }
    assertThat(running).hasSize(2);
    assertThat(queued).hasSize(10);

    for (String id : ids) {
      ApiClient.Response r = api.post("/api/runs/" + id + "/cancel", Map.of("reason", "wrong day"));
      assertThat(r.status()).as(r.text()).isEqualTo(200);
    }
    for (String id : queued) {
      JsonNode run = Runs.awaitTerminal(api, id);
      assertThat(run.get("status").asText()).isEqualTo("cancelled");
      assertThat(run.get("cancel").get("by").asText()).isEqualTo("admin");
      assertThat(run.get("cancel").get("reason").asText()).isEqualTo("wrong day");
      JsonNode task = task(id, "step");
      assertThat(task.get("status").asText()).isEqualTo("skipped");
      assertThat(task.get("skipReason").asText()).isEqualTo("run-cancelled");
      assertThat(task.get("attempts")).isEmpty();
      assertThat(task.get("job").get("state").asText()).isEqualTo("done");
    }
    for (String id : running) {
      JsonNode run = Runs.awaitTerminal(api, id);
      assertThat(run.get("status").asText()).isEqualTo("cancelled");
      JsonNode task = task(id, "step");
      assertThat(task.get("status").asText()).as(task.toString()).isEqualTo("succeeded");
      assertThat(task.get("result").get("outputs").get("finished").asText()).isEqualTo("yes");
      assertThat(task.get("attempts")).hasSize(1);
      assertThat(task.get("attempts").get(0).get("status").asText()).isEqualTo("succeeded");
    }
    // Nothing cancelled was executed afterwards.
    assertThat(server.node().workers().inFlight()).isZero();
    for (String id : queued) {
      assertThat(task(id, "step").get("attempts")).isEmpty();
    }

    ApiClient.Response again =
        api.post("/api/runs/" + ids.get(0) + "/cancel", Map.of("reason", "again"));
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.header("Content-Type")).startsWith("application/problem+json");
    assertThat(api.post("/api/runs/" + running.get(0) + "/abort", Map.of()).status())
        .isEqualTo(409);
    assertThat(api.post("/api/runs/run_01NOSUCHRUN000000000000000/cancel", Map.of()).status())
        .isEqualTo(404);
    assertThat(api.get("/api/audit/verify").json().get("ok").asBoolean()).isTrue();
  }

  @Test
  void abort_terminates_the_running_command_and_its_background_children() {
    String marker = "abort-probe-" + UUID.randomUUID();
    define(
        "stuck",
        """
        kind: action
        name: stuck
        command:
          run: [bash, -c, 'sleep 600 & sleep 600; true', %s]
        """
            .formatted(marker));
    String id = trigger("stuck");
    Runs.awaitTask(api, id, "stuck", "running");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> processesOf(id).size() >= 3 && !Processes.withArgument(marker).isEmpty());

    Instant asked = Instant.now();
    ApiClient.Response r = api.post("/api/runs/" + id + "/abort", Map.of("reason", "stuck job"));
    assertThat(r.status()).as(r.text()).isEqualTo(200);

    JsonNode run = Runs.awaitTerminal(api, id, Duration.ofSeconds(15));
    assertThat(run.get("status").asText()).isEqualTo("cancelled");
    JsonNode task = task(id, "stuck");
    assertThat(task.get("status").asText()).isEqualTo("failed");
    assertThat(task.get("failure").get("cause").asText()).isEqualTo("aborted by admin: stuck job");
    JsonNode abort = task.get("abort");
    assertThat(abort.get("by").asText()).isEqualTo("admin");
    assertThat(abort.get("reason").asText()).isEqualTo("stuck job");
    assertThat(Instant.parse(abort.get("requestedAt").asText()))
        .isAfterOrEqualTo(asked.minusSeconds(1))
        .isBeforeOrEqualTo(Instant.now());
    assertThat(abort.get("attempts")).hasSize(1);
    assertThat(abort.get("attempts").get(0).asInt()).isEqualTo(1);
    assertThat(task.get("attempts")).hasSize(1);
    assertThat(task.get("attempts").get(0).get("status").asText()).isEqualTo("failed");

    assertThat(processesOf(id)).as("processes of the aborted command").isEmpty();
    assertThat(Processes.withArgument(marker)).isEmpty();
    JsonNode timeline = api.get("/api/runs/" + id + "/audit").json().get("items");
    assertThat(timeline.findValuesAsText("type")).contains("run.abort-requested");
  }

  @Test
  void abort_ends_a_task_waiting_on_a_durable_sleep_at_once_and_the_run_is_cancelled() {
    define("nap", "kind: action\nname: nap\nbuiltin: {sleep: {for: 1h}}\n");
    String id = trigger("nap");
    // The timer is set: the task is running, its job back in the queue, no thread holds it.
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              JsonNode t = task(id, "nap");
              return t.get("status").asText().equals("running")
                  && t.get("job").get("state").asText().equals("queued");
            });

    ApiClient.Response r = api.post("/api/runs/" + id + "/abort", Map.of("reason", "too long"));
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    // Ended in the abort's own transaction: the response already shows it.
    assertThat(r.json().get("status").asText()).isEqualTo("cancelled");

    JsonNode run = api.get("/api/runs/" + id).json();
    assertThat(run.get("status").asText()).isEqualTo("cancelled");
    assertThat(run.get("counts").get("failed").asInt()).isEqualTo(1);
    assertThat(run.get("counts").get("running").asInt()).isZero();
    JsonNode task = task(id, "nap");
    assertThat(task.get("status").asText()).isEqualTo("failed");
    assertThat(task.get("failure").get("kind").asText()).isEqualTo("deterministic");
    assertThat(task.get("failure").get("cause").asText()).isEqualTo("aborted by admin: too long");
    assertThat(task.get("abort").get("by").asText()).isEqualTo("admin");
    assertThat(task.get("abort").get("attempts").get(0).asInt()).isEqualTo(1);
    assertThat(task.get("attempts")).hasSize(1);
    assertThat(task.get("attempts").get(0).get("status").asText()).isEqualTo("failed");
    assertThat(task.get("attempts").get(0).get("error").asText())
        .isEqualTo("aborted by admin: too long");
    assertThat(task.get("job").get("state").asText()).isEqualTo("done");
    assertThat(api.get("/api/jobs?state=queued").json().get("items").findValuesAsText("runId"))
        .doesNotContain(id);
    assertThat(api.post("/api/runs/" + id + "/abort", Map.of()).status()).isEqualTo(409);
    assertThat(api.get("/api/audit/verify").json().get("ok").asBoolean()).isTrue();
  }

  @Test
  void a_command_over_its_timeout_fails_transient_naming_the_timeout_and_its_tree_is_gone() {
    String marker = "timeout-probe-" + UUID.randomUUID();
    define(
        "slow",
        """
        kind: action
        name: slow
        timeout: 1s
        command:
          run: [bash, -c, 'sleep 600 & sleep 600; true', %s]
        """
            .formatted(marker));
    String id = trigger("slow");
    Runs.awaitTask(api, id, "slow", "running");
    await().atMost(Duration.ofSeconds(5)).until(() -> processesOf(id).size() >= 3);

    JsonNode run = Runs.awaitTerminal(api, id, Duration.ofSeconds(15));
    assertThat(run.get("status").asText()).isEqualTo("failed");
    JsonNode task = task(id, "slow");
    assertThat(task.get("status").asText()).isEqualTo("failed");
    assertThat(task.get("failure").get("kind").asText()).isEqualTo("transient");
    assertThat(task.get("failure").get("cause").asText()).contains("timed out").contains("1s");
    assertThat(task.get("failure").get("hint").asText()).contains("timeout");
    assertThat(task.get("attempts")).hasSize(1);
    assertThat(processesOf(id)).as("processes of the timed-out command").isEmpty();
    assertThat(Processes.withArgument(marker)).isEmpty();
  }
}
