package dev.runledger.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runledger.testing.ApiClient;
import dev.runledger.testing.Runs;
import dev.runledger.testing.StoreKind;
import dev.runledger.testing.TestServer;
import dev.runledger.testing.TickingClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Approvals, review, manual retry, rerun and concurrency limits, on each store. */
abstract class GovernanceContract {
  private final TickingClock clock = new TickingClock();
  private TestServer server;
  private ApiClient admin;
  private ApiClient approver;
  private ApiClient operator;

  abstract StoreKind store();

  @BeforeEach
  void start() {
    server = TestServer.start(store(), c -> c, clock);
    admin = server.admin();
    approver = server.client(token("alice", "approver"));
    operator = server.client(token("olaf", "operator"));
    put("action", "kind: action\nname: ok\nbuiltin: {noop: {}}\n");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private String token(String name, String role) {
    ApiClient.Response r = admin.post("/api/tokens", Map.of("name", name, "role", role));
    assertThat(r.status()).as(r.text()).isEqualTo(201);
    return r.json().get("token").asText();
  }

  private void put(String kind, String yaml) {
    String name =
        yaml.lines()
            .filter(l -> l.startsWith("name:"))
            .findFirst()
            .orElseThrow()
            .substring(5)
            .trim();
    ApiClient.Response r = admin.putYaml("/api/" + kind + "s/" + name, yaml);
    assertThat(r.status()).as(r.text()).isIn(200, 201);
  }

  private String trigger(ApiClient as, String workflow) {
    ApiClient.Response r = as.post("/api/workflows/" + workflow + "/trigger", Map.of());
    assertThat(r.status()).as(r.text()).isEqualTo(202);
    return r.json().get("id").asText();
  }

  private JsonNode pendingApprovalOf(String runId) {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                admin
                    .get("/api/approvals?state=pending")
                    .json()
                    .get("items")
                    .findValuesAsText("runId")
                    .contains(runId));
    for (JsonNode a : admin.get("/api/approvals?state=pending").json().get("items")) {
      if (a.get("runId").asText().equals(runId)) {
        return a;
      }
    }
    throw new AssertionError("no pending approval for " + runId);
  }

  private void gated(String name, String approval) {
    gated(name, approval, "");
  }

  /** prepare, then create behind the approval, then {@code moreSteps} (YAML list items). */
  private void gated(String name, String approval, String moreSteps) {
    put(
        "workflow",
        """
        kind: workflow
        name: %s
        steps:
          - {id: prepare, uses: ok}
          - id: create
            uses: ok
            needs: [prepare]
            approval: %s
        """
                .formatted(name, approval)
            + moreSteps);
  }

  @Test
  void nothing_runs_before_approval_and_the_triggering_principal_cannot_approve_its_own_run() {
    gated("gated", "{role: approver}");
    String run = trigger(operator, "gated");
    JsonNode approval = pendingApprovalOf(run);
    assertThat(approval.get("taskName").asText()).isEqualTo("create");
    assertThat(approval.get("context").get("run").get("id").asText()).isEqualTo(run);
    assertThat(approval.get("context").get("steps").has("prepare")).isTrue();
    JsonNode task = admin.get("/api/runs/" + run + "/tasks/create").json();
    assertThat(task.get("status").asText()).isEqualTo("awaiting-approval");
    assertThat(admin.get("/api/runs/" + run).json().get("status").asText()).isEqualTo("running");

    String id = approval.get("id").asText();
    ApiClient.Response asOperator = operator.post("/api/approvals/" + id + "/approve", Map.of());
    assertThat(asOperator.status()).isEqualTo(403);

    String otherRun = trigger(approver, "gated");
    JsonNode otherApproval = pendingApprovalOf(otherRun);
    ApiClient.Response self =
        approver.post("/api/approvals/" + otherApproval.get("id").asText() + "/approve", Map.of());
    assertThat(self.status()).as(self.text()).isEqualTo(403);
    assertThat(self.text()).contains("may not approve");

    ApiClient.Response ok =
        approver.post("/api/approvals/" + id + "/approve", Map.of("comment", "looks right"));
    assertThat(ok.status()).as(ok.text()).isEqualTo(200);
    assertThat(ok.json().get("state").asText()).isEqualTo("approved");
    assertThat(Runs.awaitTerminal(admin, run).get("status").asText()).isEqualTo("completed");
    // Exactly that task ran: the other run's gated task still waits.
    assertThat(admin.get("/api/runs/" + otherRun + "/tasks/create").json().get("status").asText())
        .isEqualTo("awaiting-approval");
    ApiClient.Response twice = approver.post("/api/approvals/" + id + "/reject", Map.of());
    assertThat(twice.status()).isEqualTo(200);
    assertThat(twice.json().get("state").asText()).isEqualTo("approved");
    assertThat(twice.json().get("decidedBy").asText()).isEqualTo("alice");
  }

  @Test
  void a_run_waiting_only_for_a_decision_is_running_and_counts_its_awaiting_task() {
    put(
        "workflow",
        """
        kind: workflow
        name: only-gate
        steps:
          - {id: create, uses: ok, approval: {role: approver}}
        """);
    String run = trigger(operator, "only-gate");
    pendingApprovalOf(run);
    JsonNode waiting = admin.get("/api/runs/" + run).json();
    assertThat(waiting.get("status").asText()).isEqualTo("running");
    assertThat(waiting.get("counts").get("awaiting-approval").asInt()).isEqualTo(1);
    assertThat(waiting.get("startedAt").isNull()).isFalse();
    assertThat(admin.get("/api/runs?status=running").json().get("items").findValuesAsText("id"))
        .contains(run);
  }

  @Test
  void a_rejection_skips_the_task_and_an_expired_approval_skips_it_too() {
    gated("rejectable", "{role: approver}");
    gated("expiring", "{role: approver, expiresIn: 1h}");
    String rejected = trigger(operator, "rejectable");
    String id = pendingApprovalOf(rejected).get("id").asText();
    assertThat(approver.post("/api/approvals/" + id + "/reject", Map.of("comment", "no")).status())
        .isEqualTo(200);
    assertThat(Runs.awaitTerminal(admin, rejected).get("status").asText()).isEqualTo("completed");
    JsonNode task = admin.get("/api/runs/" + rejected + "/tasks/create").json();
    assertThat(task.get("skipReason").asText()).isEqualTo("approval-rejected");

    String expiring = trigger(operator, "expiring");
    pendingApprovalOf(expiring);
    assertThat(server.node().approvals().expireDue()).isZero();
    clock.advance(Duration.ofHours(2));
    assertThat(server.node().approvals().expireDue()).isEqualTo(1);
    assertThat(Runs.awaitTerminal(admin, expiring).get("status").asText()).isEqualTo("completed");
    assertThat(
            admin.get("/api/runs/" + expiring + "/tasks/create").json().get("skipReason").asText())
        .isEqualTo("approval-expired");
  }

  @Test
  void the_steps_after_a_rejected_or_expired_approval_are_skipped_and_the_run_completes() {
    put(
        "action",
        """
        kind: action
        name: say
        inputs: {type: object, required: [m], properties: {m: {type: string}}}
        builtin: {log: {message: "${{ inputs.m }}"}}
        """);
    for (String name : List.of("announced", "announced-soon")) {
      gated(
          name,
          "{role: approver, expiresIn: 1h}",
          """
            - id: announce
              uses: say
              needs: [create]
              with: {m: "${{ 'created ' + steps.create.outputs.path }}"}
            - {id: after, uses: ok, needs: [announce]}
            - {id: aside, uses: ok, needs: [prepare]}
          """);
    }
    String rejected = trigger(operator, "announced");
    String id = pendingApprovalOf(rejected).get("id").asText();
    assertThat(approver.post("/api/approvals/" + id + "/reject", Map.of("comment", "no")).status())
        .isEqualTo(200);
    JsonNode run = Runs.awaitTerminal(admin, rejected);
    assertThat(run.get("status").asText()).isEqualTo("completed");
    assertThat(run.get("counts").get("failed").asInt()).isZero();
    assertThat(run.get("counts").get("skipped").asInt()).isEqualTo(3);
    for (String skipped : List.of("create", "announce", "after")) {
      JsonNode task = admin.get("/api/runs/" + rejected + "/tasks/" + skipped).json();
      assertThat(task.get("status").asText()).as(skipped).isEqualTo("skipped");
      assertThat(task.get("skipReason").asText()).as(skipped).isEqualTo("approval-rejected");
      assertThat(task.get("attempts")).as(skipped).isEmpty();
    }
    assertThat(admin.get("/api/runs/" + rejected + "/tasks/aside").json().get("status").asText())
        .isEqualTo("succeeded");

    String expiring = trigger(operator, "announced-soon");
    pendingApprovalOf(expiring);
    clock.advance(Duration.ofHours(2));
    assertThat(server.node().approvals().expireDue()).isEqualTo(1);
    JsonNode expired = Runs.awaitTerminal(admin, expiring);
    assertThat(expired.get("status").asText()).isEqualTo("completed");
    for (String skipped : List.of("create", "announce", "after")) {
      assertThat(
              admin
                  .get("/api/runs/" + expiring + "/tasks/" + skipped)
                  .json()
                  .get("skipReason")
                  .asText())
          .as(skipped)
          .isEqualTo("approval-expired");
    }
  }

  @Test
  void a_decision_after_the_run_was_cancelled_is_a_conflict_not_an_error() {
    gated("cancelled", "{role: approver}");
    String run = trigger(operator, "cancelled");
    String id = pendingApprovalOf(run).get("id").asText();
    assertThat(operator.post("/api/runs/" + run + "/cancel", Map.of("reason", "wrong")).status())
        .isEqualTo(200);
    ApiClient.Response late = approver.post("/api/approvals/" + id + "/approve", Map.of());
    assertThat(late.status()).isEqualTo(409);
    assertThat(Runs.awaitTerminal(admin, run).get("status").asText()).isEqualTo("cancelled");
  }

  @Test
  void a_review_opens_when_the_run_ends_and_never_changes_its_status() {
    put(
        "workflow",
        "kind: workflow\nname: reviewed\nreview: required\nsteps:\n  - {id: a, uses: ok}\n");
    String run = trigger(operator, "reviewed");
    JsonNode done = Runs.awaitTerminal(admin, run);
    assertThat(done.get("review").get("status").asText()).isEqualTo("pending");
    assertThat(admin.get("/api/runs?review=pending").json().get("items").findValuesAsText("id"))
        .contains(run);
    assertThat(
            operator.post("/api/runs/" + run + "/review", Map.of("decision", "approve")).status())
        .isEqualTo(403);
    ApiClient.Response r =
        approver.post(
            "/api/runs/" + run + "/review",
            Map.of("decision", "reject", "comment", "numbers are off"));
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    assertThat(r.json().get("review").get("status").asText()).isEqualTo("rejected");
    assertThat(r.json().get("review").get("by").asText()).isEqualTo("alice");
    assertThat(r.json().get("status").asText()).isEqualTo("completed");
    assertThat(
            approver.post("/api/runs/" + run + "/review", Map.of("decision", "approve")).status())
        .isEqualTo(409);
    assertThat(approver.post("/api/runs/" + run + "/review", Map.of("decision", "maybe")).status())
        .isEqualTo(400);
  }

  @Test
  void a_manual_retry_reruns_the_failed_task_with_the_same_key_and_parameters_and_reopens_the_run()
      throws Exception {
    Path marker = Files.createTempFile("retry", ".flag");
    Files.delete(marker);
    put(
        "action",
        """
        kind: action
        name: flaky
        inputs: {type: object, properties: {flag: {type: string}, n: {type: integer, default: 7}}}
        command:
          run: [bash, -c, 'if [ -e "$1" ]; then echo "n=$2 key=$RUNLEDGER_IDEMPOTENCY_KEY"; else touch "$1"; exit 75; fi', x, "${{ inputs.flag }}", "${{ string(inputs.n) }}"]
          retryableExitCodes: [75]
        """);
    put(
        "workflow",
        """
        kind: workflow
        name: retried
        inputs: {type: object, properties: {flag: {type: string}}}
        steps:
          - {id: first, uses: flaky, with: {flag: "${{ inputs.flag }}", n: 3}}
          - {id: then, uses: ok, needs: [first]}
        """);
    String run =
        operator
            .post(
                "/api/workflows/retried/trigger",
                Map.of("parameters", Map.of("flag", marker.toString())))
            .json()
            .get("id")
            .asText();
    assertThat(Runs.awaitTerminal(admin, run).get("status").asText()).isEqualTo("failed");
    JsonNode failed = admin.get("/api/runs/" + run + "/tasks/first").json();
    assertThat(failed.get("failure").get("kind").asText()).isEqualTo("transient");
    assertThat(admin.get("/api/runs/" + run + "/tasks/then").json().get("skipReason").asText())
        .isEqualTo("upstream-failed");

    ApiClient.Response retry = operator.post("/api/runs/" + run + "/retry", Map.of());
    assertThat(retry.status()).as(retry.text()).isEqualTo(200);
    JsonNode done = Runs.awaitTerminal(admin, run);
    assertThat(done.get("status").asText()).isEqualTo("completed");
    JsonNode first = admin.get("/api/runs/" + run + "/tasks/first").json();
    assertThat(first.get("attempts")).hasSize(2);
    assertThat(first.get("idempotencyKey").asText())
        .isEqualTo(failed.get("idempotencyKey").asText());
    assertThat(first.get("parameters")).isEqualTo(failed.get("parameters"));
    String log = admin.get("/api/runs/" + run + "/tasks/first/logs").text();
    assertThat(log).contains("n=3 key=" + run + "/first");
    assertThat(admin.get("/api/runs/" + run + "/tasks/then").json().get("status").asText())
        .isEqualTo("succeeded");
    assertThat(operator.post("/api/runs/" + run + "/retry", Map.of()).status()).isEqualTo(409);
  }

  @Test
  void deterministic_failures_are_refused_unless_forced() {
    put("action", "kind: action\nname: broken\nbuiltin: {fail: {cause: bad data}}\n");
    put("workflow", "kind: workflow\nname: det\nsteps:\n  - {id: a, uses: broken}\n");
    String run = trigger(operator, "det");
    Runs.awaitTerminal(admin, run);
    ApiClient.Response refused = operator.post("/api/runs/" + run + "/retry", Map.of());
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.text()).contains("bad data");
    ApiClient.Response forced =
        operator.post("/api/runs/" + run + "/retry", Map.of("force", true, "tasks", List.of("a")));
    assertThat(forced.status()).as(forced.text()).isEqualTo(200);
    JsonNode done = Runs.awaitTerminal(admin, run);
    assertThat(done.get("status").asText()).isEqualTo("failed");
    assertThat(admin.get("/api/runs/" + run + "/tasks/a").json().get("attempts")).hasSize(2);
  }

  @Test
  void a_rerun_is_a_new_run_pinned_to_the_same_definition_hash_unless_told_otherwise() {
    put(
        "action",
        "kind: action\nname: say\ninputs: {type: object, properties: {m: {type: string}}}\nbuiltin: {log: {message: \"${{ inputs.m }}\"}}\n");
    put(
        "workflow",
        "kind: workflow\nname: speech\nsteps:\n  - {id: s, uses: say, with: {m: first}}\n");
    String run = trigger(operator, "speech");
    JsonNode original = Runs.awaitTerminal(admin, run);
    put(
        "workflow",
        "kind: workflow\nname: speech\nsteps:\n  - {id: s, uses: say, with: {m: second}}\n");
    ApiClient.Response pinned = operator.post("/api/runs/" + run + "/rerun", Map.of());
    assertThat(pinned.status()).as(pinned.text()).isEqualTo(202);
    JsonNode rerun = Runs.awaitTerminal(admin, pinned.json().get("id").asText());
    assertThat(rerun.get("rerunOf").asText()).isEqualTo(run);
    assertThat(rerun.get("definitionHash").asText())
        .isEqualTo(original.get("definitionHash").asText());
    assertThat(rerun.get("trigger").get("type").asText()).isEqualTo("rerun");
    JsonNode latest =
        Runs.awaitTerminal(
            admin,
            operator
                .post("/api/runs/" + run + "/rerun", Map.of("pin", false))
                .json()
                .get("id")
                .asText());
    assertThat(latest.get("revision").asInt()).isEqualTo(2);
  }

  @Test
  void runs_beyond_the_concurrency_limit_wait_pending_and_start_in_order() {
    put("action", "kind: action\nname: nap\nbuiltin: {sleep: {for: 1s}}\n");
    put(
        "workflow",
        "kind: workflow\nname: serial\nconcurrency: {limit: 1}\nsteps:\n  - {id: a, uses: nap}\n");
    String one = trigger(operator, "serial");
    String two = trigger(operator, "serial");
    String three = trigger(operator, "serial");
    assertThat(admin.get("/api/runs/" + two).json().get("status").asText()).isEqualTo("pending");
    assertThat(admin.get("/api/runs/" + three).json().get("status").asText()).isEqualTo("pending");
    JsonNode r1 = Runs.awaitTerminal(admin, one);
    JsonNode r2 = Runs.awaitTerminal(admin, two);
    JsonNode r3 = Runs.awaitTerminal(admin, three);
    assertThat(List.of(r1, r2, r3))
        .allSatisfy(r -> assertThat(r.get("status").asText()).isEqualTo("completed"));
    assertThat(r2.get("startedAt").asText()).isGreaterThanOrEqualTo(r1.get("completedAt").asText());
    assertThat(r3.get("startedAt").asText()).isGreaterThanOrEqualTo(r2.get("completedAt").asText());
  }
}
