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

  /** What the test counts itself, per workflow (or per step of one), from the runs it drove. */
  private static final class Tally {
    final Map<String, Long> runs = new HashMap<>();
    final Map<String, Long> tasks = new HashMap<>();
    final Map<String, Tally> steps = new HashMap<>();
    long actionsInvoked;
    long retries;
    long recovered;
    long subjectTasks;
    long approved;
    long rejected;
    long cancellations;
  }

  /** An approval the test decided: what the report lists of it. */
  private record Decided(String runId, String decision, String by, String comment) {}

  private String trigger(String workflow) {
    return trigger(workflow, "b");
  }

  private String trigger(String workflow, String team) {
    ApiClient.Response r =
        api.post("/api/workflows/" + workflow + "/trigger", Map.of("labels", Map.of("team", team)));
    assertThat(r.status()).as(r.text()).isEqualTo(202);
    return r.json().get("id").asText();
  }

  private void tally(Tally t, String runId) {
    JsonNode run = Runs.awaitTerminal(api, runId);
    t.runs.merge(run.get("status").asText(), 1L, Long::sum);
    t.actionsInvoked += run.get("actionsInvoked").asLong();
    for (JsonNode task : api.get("/api/runs/" + runId + "/tasks?limit=500").json().get("items")) {
      Tally step = t.steps.computeIfAbsent(task.get("step").asText(), k -> new Tally());
      int retries = Math.max(0, task.get("attempts").size() - 1);
      boolean recovered = retries > 0 && task.get("status").asText().equals("succeeded");
      for (Tally each : List.of(t, step)) {
        each.tasks.merge(task.get("status").asText(), 1L, Long::sum);
        each.retries += retries;
        each.recovered += recovered ? 1 : 0;
        each.subjectTasks += task.get("subject").isNull() ? 0 : 1;
      }
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
    put(
        "action",
        "recovering",
        """
        kind: action
        name: recovering
        command:
          run: [bash, -c, '[ "$RUNLEDGER_ATTEMPT" -ge 2 ] || exit 75']
          retryableExitCodes: [75]
        retry: {maxAttempts: 3, backoff: 10ms, maxBackoff: 10ms}
        """);
    put(
        "workflow",
        "fanout",
        """
        kind: workflow
        name: fanout
        steps:
          - {id: lookup, uses: ok}
          - id: each
            uses: recovering
            needs: [lookup]
            forEach: "${{ [1, 2] }}"
        """);

    Map<String, Tally> expected = new HashMap<>();
    Map<String, Tally> teamA = new HashMap<>();
    List<Decided> decided = new java.util.ArrayList<>();
    Tally outside = new Tally();
    tally(outside, trigger("daily")); // before the period
    clock.advance(Duration.ofDays(1));
    Instant from = clock.instant();

    Random random = new Random(7);
    List<String> kinds =
        List.of(
            "daily", "broken", "flaky", "gated-approve", "gated-reject", "gated-cancel", "fanout");
    for (int i = 0; i < 24; i++) {
      String kind = kinds.get(i < kinds.size() ? i : random.nextInt(kinds.size()));
      String workflow = kind.startsWith("gated") ? "gated" : kind;
      String team = random.nextBoolean() ? "a" : "b";
      List<Tally> tallies = new java.util.ArrayList<>();
      tallies.add(expected.computeIfAbsent(workflow, k -> new Tally()));
      if (team.equals("a")) {
        tallies.add(teamA.computeIfAbsent(workflow, k -> new Tally()));
      }
      String runId = trigger(workflow, team);
      switch (kind) {
        case "gated-approve", "gated-reject" -> {
          String approval = Runs.awaitPendingApproval(api, runId);
          boolean approve = kind.equals("gated-approve");
          String comment = (approve ? "evidence seen in " : "no evidence for ") + runId;
          ApiClient.Response r =
              api.post(
                  "/api/approvals/" + approval + (approve ? "/approve" : "/reject"),
                  Map.of("comment", comment));
          assertThat(r.status()).as(r.text()).isEqualTo(200);
          decided.add(
              new Decided(
                  runId,
                  approve ? "approved" : "rejected",
                  r.json().get("decidedBy").asText(),
                  comment));
          tallies.forEach(t -> t.approved += approve ? 1 : 0);
          tallies.forEach(t -> t.rejected += approve ? 0 : 1);
        }
        case "gated-cancel" -> {
          Runs.awaitPendingApproval(api, runId);
          assertThat(
                  api.post("/api/runs/" + runId + "/cancel", Map.of("reason", "not needed"))
                      .status())
              .isEqualTo(200);
          tallies.forEach(t -> t.cancellations++);
        }
        default -> {}
      }
      tallies.forEach(t -> tally(t, runId));
      clock.advance(Duration.ofHours(89));
    }
    Instant to = clock.instant();
    clock.advance(Duration.ofDays(1));
    tally(outside, trigger("broken")); // after the period

    String period = "/api/reports/runs?from=" + from + "&to=" + to;
    JsonNode report = api.get(period + "&groupBy=workflow").json();
    assertReport(report, expected);
    assertThat(report.get("totals").get("runs").get("total").asLong()).isEqualTo(24);
    assertThat(expected.get("flaky").retries).isPositive();
    assertThat(expected.get("fanout").recovered).isPositive();
    assertThat(expected.get("fanout").steps.get("each").subjectTasks).isPositive();

    // every decision, with who took it and why, in the order they were taken
    List<Decided> listed = new java.util.ArrayList<>();
    for (JsonNode a : report.get("approvals")) {
      assertThat(a.get("workflow").asText()).isEqualTo("gated");
      assertThat(a.get("decidedAt").asText()).matches(".*\\.\\d{6}Z");
      listed.add(
          new Decided(
              a.get("runId").asText(),
              a.get("decision").asText(),
              a.get("decidedBy").asText(),
              a.get("comment").asText()));
    }
    assertThat(listed).containsExactlyElementsOf(decided);

    // filters narrow every figure to the runs they select
    assertReport(api.get(period + "&label=team:a").json(), teamA);
    JsonNode flaky = api.get(period + "&workflow=flaky").json();
    assertReport(flaky, Map.of("flaky", expected.get("flaky")));
    assertThat(flaky.get("approvals")).isEmpty();
    assertReport(api.get(period + "&trigger=manual").json(), expected);
    assertReport(api.get(period + "&trigger=schedule").json(), Map.of());
    assertReport(
        api.get(period + "&workflow=gated&label=team:a&trigger=manual").json(),
        teamA.containsKey("gated") ? Map.of("gated", teamA.get("gated")) : Map.of());

    ApiClient.Response csv =
        api.get("/api/reports/runs?from=" + from + "&to=" + to + "&format=csv");
    assertThat(csv.status()).isEqualTo(200);
    List<String> lines = csv.text().lines().toList();
    assertThat(lines).hasSize(1 + expected.size() + 1);
    assertThat(lines.get(lines.size() - 1)).startsWith("TOTAL,,24,");
    assertThat(api.get("/api/reports/runs?from=" + to + "&to=" + from).status()).isEqualTo(400);
    assertThat(api.get("/api/reports/runs?from=2026-13-01&to=2026-12-31").status()).isEqualTo(400);
  }

  /** The report's items are exactly these tallies, each with its steps, and totals their sum. */
  private static void assertReport(JsonNode report, Map<String, Tally> expected) {
    assertThat(report.get("items")).hasSize(expected.size());
    Tally totals = new Tally();
    for (JsonNode item : report.get("items")) {
      String workflow = item.get("workflow").asText();
      Tally t = expected.get(workflow);
      assertThat(t).as(workflow).isNotNull();
      assertCounts(item, t, workflow);
      assertThat(item.get("recovered").asLong()).as(workflow).isEqualTo(t.recovered);
      assertThat(item.get("steps")).as(workflow).hasSize(t.steps.size());
      for (JsonNode step : item.get("steps")) {
        String name = workflow + "." + step.get("step").asText();
        Tally s = t.steps.get(step.get("step").asText());
        assertThat(s).as(name).isNotNull();
        assertTasks(step, s, name);
        assertThat(step.get("retries").asLong()).as(name).isEqualTo(s.retries);
        assertThat(step.get("recovered").asLong()).as(name).isEqualTo(s.recovered);
        assertThat(step.get("subjectTasks").asLong()).as(name).isEqualTo(s.subjectTasks);
      }
      t.runs.forEach((k, v) -> totals.runs.merge(k, v, Long::sum));
      t.tasks.forEach((k, v) -> totals.tasks.merge(k, v, Long::sum));
      totals.actionsInvoked += t.actionsInvoked;
      totals.retries += t.retries;
      totals.recovered += t.recovered;
      totals.approved += t.approved;
      totals.rejected += t.rejected;
      totals.cancellations += t.cancellations;
    }
    assertCounts(report.get("totals"), totals, "totals");
    assertThat(report.get("totals").get("recovered").asLong()).isEqualTo(totals.recovered);
  }

  private static void assertTasks(JsonNode item, Tally t, String what) {
    long tasks = 0;
    for (var e : t.tasks.entrySet()) {
      assertThat(item.get("tasks").get(e.getKey()).asLong())
          .as(what + " tasks " + e.getKey())
          .isEqualTo(e.getValue());
      tasks += e.getValue();
    }
    assertThat(item.get("tasks").get("total").asLong()).as(what).isEqualTo(tasks);
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
    assertTasks(item, t, what);
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
