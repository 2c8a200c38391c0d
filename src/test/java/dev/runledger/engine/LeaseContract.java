package dev.runledger.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runledger.app.Runledger;
import dev.runledger.engine.queue.JobClaimer;
import dev.runledger.engine.queue.Outcome;
import dev.runledger.engine.queue.OutcomeRecorder;
import dev.runledger.executor.AttemptResult;
import dev.runledger.model.ActionDefinition;
import dev.runledger.model.ClaimedAttempt;
import dev.runledger.model.Job;
import dev.runledger.model.JobState;
import dev.runledger.model.Json;
import dev.runledger.testing.ApiClient;
import dev.runledger.testing.Runs;
import dev.runledger.testing.StoreKind;
import dev.runledger.testing.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Leases: a worker whose lease ran out cannot record over the new holder (the fence), and the
 * reaper returns a lost worker's job to the queue as a new attempt, on each store.
 */
abstract class LeaseContract {
  private TestServer server;
  private ApiClient api;
  private JobClaimer claimer;
  private OutcomeRecorder recorder;

  abstract StoreKind store();

  private void start(UnaryOperator<dev.runledger.app.ServerConfig> customize) {
    server = TestServer.start(store(), customize);
    api = server.admin();
    Runledger node = server.node();
    // The engine's own pieces, driven by hand as a second (simulated) worker would drive them.
    claimer = node.claimer();
    recorder = node.recorder();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private void define(String name, String yaml) {
    ApiClient.Response r = api.putYaml("/api/actions/" + name, yaml);
    assertThat(r.status()).as(r.text()).isIn(200, 201);
  }

  private String trigger(String action) {
    ApiClient.Response r = api.post("/api/actions/" + action + "/trigger", Map.of());
    assertThat(r.status()).as(r.text()).isEqualTo(202);
    return r.json().get("id").asText();
  }

  private ClaimedAttempt claim(String owner, Duration lease) {
    List<ClaimedAttempt> claimed =
        server.node().store().writeAndWait(tx -> claimer.claim(tx, owner, 1, lease));
    assertThat(claimed).as("a job to claim").hasSize(1);
    return claimed.get(0);
  }

  private Job job(String runId, String task) {
    return server
        .node()
        .store()
        .read(tx -> tx.jobs().forTask(runId, task))
        .orElseThrow(() -> new AssertionError("no job for " + task));
  }

  private JsonNode task(String runId, String name) {
    return api.get("/api/runs/" + runId + "/tasks/" + name).json();
  }

  private static Outcome succeeded(String who) {
    return new Outcome(
        new AttemptResult.Succeeded(Json.object().put("by", who), false, 0, null), null);
  }

  @Test
  void a_worker_whose_lease_expired_cannot_record_its_outcome_over_the_new_holder() {
    start(c -> c.withLease(Duration.ofSeconds(30)));
    // This node's own workers stay out of the way: owners A and B are driven by hand.
    server.node().workers().shutdown(Duration.ZERO);
    define("once", "kind: action\nname: once\nbuiltin: {noop: {}}\n");
    String runId = trigger("once");
    ActionDefinition action = server.node().definitions().action("default", "once", 1);

    ClaimedAttempt a = claim("owner-a", Duration.ofMillis(1));
    assertThat(a.attempt()).isEqualTo(1);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> server.node().reaper().reapExpired() > 0 || job(runId, "once").attempt() > 1);
    ClaimedAttempt b = claim("owner-b", Duration.ofSeconds(30));
    assertThat(b.attempt()).isEqualTo(2);

    JsonNode taskBefore = task(runId, "once");
    Job jobBefore = job(runId, "once");
    boolean recordedA =
        server
            .node()
            .store()
            .writeAndWait(tx -> recorder.record(tx, a, "owner-a", action, succeeded("a")));
    assertThat(recordedA).as("the fence refuses the stale worker").isFalse();
    JsonNode taskAfterA = task(runId, "once");
    assertThat(taskAfterA.get("status").asText()).isEqualTo("running");
    assertThat(taskAfterA.get("attempts")).isEqualTo(taskBefore.get("attempts"));
    assertThat(taskAfterA.get("result")).isEqualTo(taskBefore.get("result"));
    Job jobAfterA = job(runId, "once");
    assertThat(jobAfterA.state()).isEqualTo(JobState.LEASED);
    assertThat(jobAfterA.leaseOwner()).isEqualTo("owner-b");
    assertThat(jobAfterA.attempt()).isEqualTo(2);
    assertThat(jobAfterA.updatedAt()).isEqualTo(jobBefore.updatedAt());
    assertThat(api.get("/api/runs/" + runId).json().get("status").asText()).isEqualTo("running");
    assertThat(
            server
                .node()
                .store()
                .read(tx -> tx.effects().find("default", runId + "/once"))
                .isPresent())
        .as("no effect recorded for the stale outcome")
        .isFalse();

    boolean recordedB =
        server
            .node()
            .store()
            .writeAndWait(tx -> recorder.record(tx, b, "owner-b", action, succeeded("b")));
    assertThat(recordedB).isTrue();
    JsonNode run = Runs.awaitTerminal(api, runId);
    assertThat(run.get("status").asText()).isEqualTo("completed");
    JsonNode done = task(runId, "once");
    assertThat(done.get("status").asText()).isEqualTo("succeeded");
    assertThat(done.get("result").get("outputs").get("by").asText()).isEqualTo("b");
    JsonNode attempts = done.get("attempts");
    assertThat(attempts).hasSize(2);
    assertThat(attempts.get(0).get("status").asText()).isEqualTo("failed");
    assertThat(attempts.get(0).get("error").asText()).contains("worker lost");
    assertThat(attempts.get(1).get("status").asText()).isEqualTo("succeeded");
    JsonNode timeline = api.get("/api/runs/" + runId + "/audit").json().get("items");
    assertThat(timeline.findValuesAsText("type")).contains("attempt.outcome-discarded");
  }

  /** Keeps the node's only worker busy so that the job under test stays in the queue. */
  private String occupyTheOnlyWorker() {
    define(
        "hold",
        """
        kind: action
        name: hold
        command:
          run: [bash, -c, 'sleep 30; true', lease-contract-hold]
        """);
    String blocker = trigger("hold");
    Runs.awaitTask(api, blocker, "hold", "running");
    return blocker;
  }

  private void release(String blocker) {
    assertThat(api.post("/api/runs/" + blocker + "/abort", Map.of("reason", "test done")).status())
        .isEqualTo(200);
  }

  @Test
  void the_reaper_returns_a_dead_owners_expired_lease_and_the_task_is_retried() {
    start(c -> c.withLease(Duration.ofSeconds(1)).withWorkers(1));
    String blocker = occupyTheOnlyWorker();
    // Not noop: an inline built-in is run by the claim itself, busy worker or not; this
    // action needs a worker.
    define(
        "once",
        "kind: action\nname: once\ncommand: {run: [bash, -c, 'true', lease-contract-once]}\n");
    String runId = trigger("once");
    // A worker on another node takes the job, then dies: its lease is never extended.
    ClaimedAttempt dead = claim("dead-node:owner", Duration.ofSeconds(1));
    assertThat(dead.attempt()).isEqualTo(1);
    assertThat(task(runId, "once").get("status").asText()).isEqualTo("running");

    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> task(runId, "once").get("status").asText().equals("queued"));
    release(blocker);

    JsonNode run = Runs.awaitTerminal(api, runId);
    assertThat(run.get("status").asText()).isEqualTo("completed");
    JsonNode done = task(runId, "once");
    assertThat(done.get("status").asText()).isEqualTo("succeeded");
    JsonNode attempts = done.get("attempts");
    assertThat(attempts).hasSize(2);
    assertThat(attempts.get(0).get("status").asText()).isEqualTo("failed");
    assertThat(attempts.get(0).get("error").asText())
        .contains("worker lost")
        .contains("dead-node:owner");
    assertThat(attempts.get(1).get("status").asText()).isEqualTo("succeeded");
    assertThat(job(runId, "once").state()).isEqualTo(JobState.DONE);
    assertThat(api.get("/api/audit/verify").json().get("ok").asBoolean()).isTrue();
  }

  @Test
  void a_task_without_retry_policy_lost_twice_fails_transient_with_worker_lost() {
    start(c -> c.withLease(Duration.ofSeconds(1)).withWorkers(1));
    String blocker = occupyTheOnlyWorker();
    // Not noop: an inline built-in is run by the claim itself, busy worker or not; this
    // action needs a worker.
    define(
        "once",
        "kind: action\nname: once\ncommand: {run: [bash, -c, 'true', lease-contract-once]}\n");
    String runId = trigger("once");
    for (int attempt = 1; attempt <= 2; attempt++) {
      ClaimedAttempt dead = claim("dead-node:owner", Duration.ofMillis(200));
      assertThat(dead.attempt()).isEqualTo(attempt);
      int lost = attempt;
      await()
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(100))
          .until(
              () ->
                  task(runId, "once").get("attempts").findValuesAsText("status").stream()
                          .filter("failed"::equals)
                          .count()
                      == lost);
    }
    JsonNode run = Runs.awaitTerminal(api, runId);
    release(blocker);
    assertThat(run.get("status").asText()).isEqualTo("failed");
    JsonNode task = task(runId, "once");
    assertThat(task.get("status").asText()).isEqualTo("failed");
    assertThat(task.get("attempts")).hasSize(2);
    assertThat(task.get("failure").get("kind").asText()).isEqualTo("transient");
    assertThat(task.get("failure").get("cause").asText()).contains("worker lost");
  }
}
