package dev.runledger.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runledger.model.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code runledger bench} prints one JSON line with sane values (no timing assertions). */
class BenchCommandTest {

  private record Result(int exitCode, String out, String err) {}

  private static Result run(String... args) {
    CommandLine cli = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void bench_on_sqlite_prints_one_json_line_with_every_field() {
    Result r = run("bench", "--tasks", "200", "--workers", "4", "--low-load", "20");

    assertThat(r.exitCode()).as(r.err()).isZero();
    String[] lines = r.out().strip().split("\n");
    assertThat(lines).hasSize(1);
    JsonNode json = Json.read(lines[0], JsonNode.class);
    assertThat(json.get("store").asText()).isEqualTo("sqlite");
    assertThat(json.get("tasks").asInt()).isEqualTo(200);
    assertThat(json.get("workers").asInt()).isEqualTo(4);
    assertThat(json.get("tasksPerSecond").asDouble()).isPositive();
    assertThat(json.get("seconds").asDouble()).isPositive();
    double p50 = json.get("triggerToStartMsP50").asDouble();
    double p99 = json.get("triggerToStartMsP99").asDouble();
    assertThat(p50).isGreaterThanOrEqualTo(0);
    assertThat(p99).isGreaterThanOrEqualTo(p50);
    assertThat(json.get("triggerToStartMsP50LowLoad").asDouble()).isGreaterThanOrEqualTo(0);
    assertThat(json.get("peakHeapMb").asLong()).isPositive();
    assertThat(json.get("runsNotCompleted").asLong()).isZero();
    assertThat(json.get("auditEventsUnsealed").asLong()).isZero();
  }

  static final String[] SMALL_UI = {
    "bench",
    "--ui",
    "--ui-runs",
    "300",
    "--ui-tasks-per-run",
    "2",
    "--ui-fanout",
    "40",
    "--ui-log-lines",
    "600",
    "--ui-requests",
    "2"
  };

  static void assertTimesEveryPage(Result r, String store) {
    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode json = Json.read(r.out().strip(), JsonNode.class);
    assertThat(json.get("store").asText()).isEqualTo(store);
    // the 300 copies, the fan-out run and the run with the long log
    assertThat(json.get("runs").asInt()).isEqualTo(302);
    assertThat(json.get("fanout").asInt()).isEqualTo(40);
    assertThat(json.get("logLines").asInt()).isEqualTo(600);
    JsonNode pages = json.get("pagesMs");
    assertThat(pages.fieldNames())
        .toIterable()
        .contains(
            "runs",
            "runs status=failed",
            "runs one week",
            "runs failed + workflow + week",
            "runs second page",
            "run fan-out",
            "run fan-out subject search",
            "run fan-out failed tasks",
            "task log latest",
            "task log first");
    pages.forEach(
        page -> {
          assertThat(page.get("p95").asDouble()).isPositive();
          assertThat(page.get("max").asDouble()).isGreaterThanOrEqualTo(page.get("p95").asDouble());
        });
    assertThat(json.get("worstP95Ms").asDouble()).isPositive();
  }

  @Test
  void ui_bench_fills_a_small_store_and_times_every_page_on_sqlite() {
    assertTimesEveryPage(run(SMALL_UI), "sqlite");
  }

  @Test
  void ui_bench_fills_a_small_store_and_times_every_page_on_postgresql() {
    String db = dev.runledger.testing.Databases.freshPostgres();
    try {
      String[] args = java.util.Arrays.copyOf(SMALL_UI, SMALL_UI.length + 2);
      args[SMALL_UI.length] = "--db";
      args[SMALL_UI.length + 1] = db;
      assertTimesEveryPage(run(args), "postgresql");
    } finally {
      dev.runledger.testing.Databases.drop(db);
    }
  }

  @Test
  void fanout_runs_one_workflow_over_every_subject_and_prints_one_json_line() {
    Result r = run("bench", "--fanout", "1500", "--workers", "4");

    assertThat(r.exitCode()).as(r.err()).isZero();
    String[] lines = r.out().strip().split("\n");
    assertThat(lines).hasSize(1);
    JsonNode json = Json.read(lines[0], JsonNode.class);
    assertThat(json.get("store").asText()).isEqualTo("sqlite");
    assertThat(json.get("fanout").asInt()).isEqualTo(1500);
    // More than one page (TaskPlanner.PAGE) of subjects, every one run once.
    assertThat(json.get("tasks").asInt()).isEqualTo(1500);
    assertThat(json.get("tasksSucceeded").asInt()).isEqualTo(1500);
    assertThat(json.get("actionsInvoked").asInt()).isEqualTo(1500);
    assertThat(json.get("runStatus").asText()).isEqualTo("completed");
    assertThat(json.get("tasksPerSecond").asDouble()).isPositive();
    assertThat(json.get("peakHeapMb").asLong()).isPositive();
    assertThat(json.get("auditEventsUnsealed").asLong()).isZero();
  }

  @Test
  void fanout_must_be_positive() {
    Result r = run("bench", "--fanout", "0");

    assertThat(r.exitCode()).isNotZero();
    assertThat(r.err()).contains("--fanout must be positive");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void audit_bench_fills_a_sealed_chain_and_times_its_verification() {
    Result r = run("bench", "--audit-events", "2500");

    assertThat(r.exitCode()).as(r.err()).isZero();
    String[] lines = r.out().strip().split("\n");
    assertThat(lines).hasSize(1);
    JsonNode json = Json.read(lines[0], JsonNode.class);
    assertThat(json.get("store").asText()).isEqualTo("sqlite");
    assertThat(json.get("auditEvents").asLong()).isEqualTo(2500);
    assertThat(json.get("ok").asBoolean()).isTrue();
    double seconds = json.get("verifySeconds").asDouble();
    assertThat(seconds).isPositive();
    // verifySeconds is rounded to ms, so the rate is checked against its bounds.
    assertThat(json.get("eventsPerSecond").asDouble())
        .isBetween(2500 / (seconds + 0.0005) - 1, 2500 / Math.max(seconds - 0.0005, 1e-6) + 1);
    assertThat(json.get("peakHeapMb").asLong()).isPositive();
    assertThat(json.get("fillSeconds").asDouble()).isPositive();
  }

  @Test
  void audit_bench_refuses_a_count_below_one() {
    Result r = run("bench", "--audit-events", "0");

    assertThat(r.exitCode()).isNotZero();
    assertThat(r.err()).contains("--audit-events must be positive");
    assertThat(r.out()).isEmpty();
  }
}
