package dev.runledger.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runledger.testing.ApiClient;
import dev.runledger.testing.Runs;
import dev.runledger.testing.StoreKind;
import dev.runledger.testing.TestServer;
import dev.runledger.testing.TickingClock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The period report over a seeded quarter equals counts the test keeps itself. */
abstract class ReportContract {
  private final TickingClock clock = new TickingClock();
  private TestServer server;
  private ApiClient api;

  abstract StoreKind store();

  @BeforeEach
  void start() {
    server = TestServer.start(store(), c -> c, clock);
    api = server.admin();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private void put(String kind, String name, String yaml) {
    ApiClient.Response r = api.putYaml("/api/" + kind + "s/" + name, yaml);
    assertThat(r.status()).as(r.text()).isIn(200, 201);
  }

  /** What the test counts itself, per workflow, from the runs it drove. */
  private static final class Tally {
    final Map<String, Long> runs = new HashMap<>();
    final Map<String, Long> tasks = new HashMap<>();
    long actionsInvoked;
    long retries;
    long approved;
    long rejected;
    long cancellations;
  }

  private String trigger(String workflow) {
    ApiClient.Response r = api.post("/api/workflows/" + workflow + "/trigger", Map.of());
    assertThat(r.status()).as(r.text()).isEqualTo(202);
    return r.json().get("id").asText();
  }

  private String pendingApproval(String runId) {
    String[] id = {null};
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              for (JsonNode a : api.get("/api/approvals?state=pending").json().get("items")) {
                if (a.get("runId").asText().equals(runId)) {
                  id[0] = a.get("id").asText();
                  return true;
                }
              }
              return false;
            });
    return id[0];
  }

  private void tally(Tally t, String runId) {
    JsonNode run = Runs.awaitTerminal(api, runId);
    t.runs.merge(run.get("status").asText(), 1L, Long::sum);
    t.actionsInvoked += run.get("actionsInvoked").asLong();
    for (JsonNode task : api.get("/api/runs/" + runId + "/tasks?limit=500").json().get("items")) {
      t.tasks.merge(task.get("status").asText(), 1L, Long::sum);
      t.retries += Math.max(0, task.get("attempts").size() - 1);
    }
  }

  @Test
  void the_quarterly_report_equals_counts_kept_independently() {
    put("action", "ok", "kind: action\nname: ok\nbuiltin: {noop: {}}\n");
    put(
        "action",
        "boom",
        "kind: action\nname: boom\nbuiltin: {fail: {cause: broken, kind: deterministic}}\n");
    put(
        "action",
        "flaky",
        """
        kind: action
        name: flaky
        builtin: {fail: {cause: unavailable, kind: transient}}
        retry: {maxAttempts: 3, backoff: 10ms, maxBackoff: 10ms}
        """);
    put(
        "workflow",
        "daily",
        """
        kind: workflow
        name: daily
        steps:
          - {id: a, uses: ok}
          - {id: b, uses: ok, needs: [a]}
        """);
    put(
        "workflow",
        "broken",
        """
        kind: workflow
        name: broken
        steps:
          - {id: a, uses: boom}
          - {id: b, uses: ok, needs: [a]}
        """);
    put(
        "workflow",
        "flaky",
        """
        kind: workflow
        name: flaky
        steps:
          - {id: a, uses: flaky}
        """);
    put(
        "workflow",
        "gated",
        """
        kind: workflow
        name: gated
        steps:
          - id: a
            uses: ok
            approval: {role: approver, allowSelfApproval: true}
        """);

    Map<String, Tally> expected = new HashMap<>();
    Tally outside = new Tally();
    tally(outside, trigger("daily")); // before the period
    clock.advance(Duration.ofDays(1));
    Instant from = clock.instant();

    Random random = new Random(7);
    List<String> kinds =
        List.of("daily", "broken", "flaky", "gated-approve", "gated-reject", "gated-cancel");
    for (int i = 0; i < 24; i++) {
      String kind = kinds.get(i < kinds.size() ? i : random.nextInt(kinds.size()));
      String workflow = kind.startsWith("gated") ? "gated" : kind;
      Tally t = expected.computeIfAbsent(workflow, k -> new Tally());
      String runId = trigger(workflow);
      switch (kind) {
        case "gated-approve" -> {
          String approval = pendingApproval(runId);
          assertThat(
                  api.post("/api/approvals/" + approval + "/approve", Map.of("comment", "ok"))
                      .status())
              .isEqualTo(200);
          t.approved++;
        }
        case "gated-reject" -> {
          String approval = pendingApproval(runId);
          assertThat(
                  api.post("/api/approvals/" + approval + "/reject", Map.of("comment", "no"))
                      .status())
              .isEqualTo(200);
          t.rejected++;
        }
        case "gated-cancel" -> {
          pendingApproval(runId);
          assertThat(
                  api.post("/api/runs/" + runId + "/cancel", Map.of("reason", "not needed"))
                      .status())
              .isEqualTo(200);
          t.cancellations++;
        }
        default -> {}
      }
      tally(t, runId);
      clock.advance(Duration.ofHours(89));
    }
    Instant to = clock.instant();
    clock.advance(Duration.ofDays(1));
    tally(outside, trigger("broken")); // after the period

    JsonNode report =
        api.get("/api/reports/runs?from=" + from + "&to=" + to + "&groupBy=workflow").json();
    assertThat(report.get("items")).hasSize(expected.size());
    Tally totals = new Tally();
    for (JsonNode item : report.get("items")) {
      String workflow = item.get("workflow").asText();
      Tally t = expected.get(workflow);
      assertThat(t).as(workflow).isNotNull();
      assertCounts(item, t, workflow);
      t.runs.forEach((k, v) -> totals.runs.merge(k, v, Long::sum));
      t.tasks.forEach((k, v) -> totals.tasks.merge(k, v, Long::sum));
      totals.actionsInvoked += t.actionsInvoked;
      totals.retries += t.retries;
      totals.approved += t.approved;
      totals.rejected += t.rejected;
      totals.cancellations += t.cancellations;
    }
    assertCounts(report.get("totals"), totals, "totals");
    assertThat(report.get("totals").get("runs").get("total").asLong()).isEqualTo(24);
    assertThat(expected.get("flaky").retries).isPositive();

    ApiClient.Response csv =
        api.get("/api/reports/runs?from=" + from + "&to=" + to + "&format=csv");
    assertThat(csv.status()).isEqualTo(200);
    List<String> lines = csv.text().lines().toList();
    assertThat(lines).hasSize(1 + expected.size() + 1);
    assertThat(lines.get(lines.size() - 1)).startsWith("TOTAL,,24,");
    assertThat(api.get("/api/reports/runs?from=" + to + "&to=" + from).status()).isEqualTo(400);
    assertThat(api.get("/api/reports/runs?from=2026-13-01&to=2026-12-31").status()).isEqualTo(400);
  }

  private static void assertCounts(JsonNode item, Tally t, String what) {
    long runs = 0;
    for (var e : t.runs.entrySet()) {
      assertThat(item.get("runs").get(e.getKey()).asLong())
          .as(what + " runs " + e.getKey())
          .isEqualTo(e.getValue());
      runs += e.getValue();
    }
    assertThat(item.get("runs").get("total").asLong()).as(what).isEqualTo(runs);
    long tasks = 0;
    for (var e : t.tasks.entrySet()) {
      assertThat(item.get("tasks").get(e.getKey()).asLong())
          .as(what + " tasks " + e.getKey())
          .isEqualTo(e.getValue());
      tasks += e.getValue();
    }
    assertThat(item.get("tasks").get("total").asLong()).as(what).isEqualTo(tasks);
    assertThat(item.get("actionsInvoked").asLong()).as(what).isEqualTo(t.actionsInvoked);
    assertThat(item.get("retries").asLong()).as(what).isEqualTo(t.retries);
    assertThat(item.get("approvalsDecided").get("approved").asLong())
        .as(what)
        .isEqualTo(t.approved);
    assertThat(item.get("approvalsDecided").get("rejected").asLong())
        .as(what)
        .isEqualTo(t.rejected);
    assertThat(item.get("cancellations").asLong()).as(what).isEqualTo(t.cancellations);
  }
}
