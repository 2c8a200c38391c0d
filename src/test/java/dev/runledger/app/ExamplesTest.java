package dev.runledger.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runledger.model.Principal;
import dev.runledger.model.Role;
import dev.runledger.testing.ApiClient;
import dev.runledger.testing.Runs;
import dev.runledger.testing.StoreKind;
import dev.runledger.testing.TestServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped {@code examples/} directory, loaded the way {@code serve --load examples} loads it,
 * and each example workflow and action run through the API to the outcome its description promises.
 * The stand-ins write under a temporary directory instead of their /tmp defaults.
 */
class ExamplesTest {
  private static final Path EXAMPLES = Path.of("examples");

  private static TestServer server;
  private static ApiClient api;

  @TempDir static Path out;

  @BeforeAll
  static void start() {
    server =
        TestServer.start(StoreKind.SQLITE, c -> c.withLoad(EXAMPLES).withHttpAllow("127.0.0.1/32"));
    // Runledger.start does not apply ServerConfig.load (only ServeCommand does), so load here
    // exactly as serve --load does.
    StringWriter log = new StringWriter();
    int applied =
        new DefinitionLoader(server.node().definitions())
            .load(EXAMPLES, new Principal("system:loader", Role.ADMIN, null), new PrintWriter(log));
    try (Stream<Path> files = Files.list(EXAMPLES)) {
      assertThat(applied)
          .as(log.toString())
          .isEqualTo(files.filter(p -> p.toString().matches(".*\\.(ya?ml|json)$")).count());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    api = server.admin();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void kyc_review_asks_once_per_account_and_week_and_replays_within_the_week() throws IOException {
    Path outbox = out.resolve("messaging");
    Map<String, Object> params = Map.of("outbox", outbox.toString());

    JsonNode first = runToEnd("workflows", "kyc-review", params);
    assertThat(first.get("status").asText()).isEqualTo("completed-with-failures");
    assertThat(first.get("subjectsMatched").asInt()).isEqualTo(12);
    JsonNode counts = first.get("counts");
    assertThat(counts.get("succeeded").asInt()).isEqualTo(12); // find-due and 11 requests
    assertThat(counts.get("failed").asInt()).isEqualTo(1);
    assertThat(counts.get("skipped").asInt()).isEqualTo(8);
    List<JsonNode> tasks = tasks(first);
    assertThat(tasks).hasSize(21);
    JsonNode retried = task(tasks, "request-evidence[ACC-1004]");
    assertThat(retried.get("status").asText()).isEqualTo("succeeded");
    assertThat(retried.get("attempts")).hasSize(2);
    assertThat(retried.get("idempotencyKey").asText()).matches("kyc:ACC-1004:\\d{4}-W\\d\\d");
    assertThat(retried.get("result").get("ref").asText()).startsWith("EVR-");
    JsonNode refused = task(tasks, "request-evidence[ACC-1007]");
    assertThat(refused.get("failure").get("kind").asText()).isEqualTo("deterministic");
    assertThat(refused.get("failure").get("cause").asText()).contains("no mailbox for 'tor.lie'");
    assertThat(refused.get("attempts")).hasSize(1);
    assertThat(task(tasks, "request-evidence[ACC-1003]").get("skipReason").asText())
        .isEqualTo("condition-false");
    assertThat(Files.readAllLines(outbox.resolve("outbox.log"))).hasSize(11);

    JsonNode second = runToEnd("workflows", "kyc-review", params);
    assertThat(second.get("status").asText()).isEqualTo("completed-with-failures");
    assertThat(second.get("counts").get("idempotent-replay").asInt()).isEqualTo(11);
    assertThat(second.get("counts").get("failed").asInt()).isEqualTo(1);
    assertThat(second.get("counts").get("skipped").asInt()).isEqualTo(8);
    assertThat(task(tasks(second), "request-evidence[ACC-1004]").get("result").get("ref"))
        .isEqualTo(retried.get("result").get("ref"));
    assertThat(Files.readAllLines(outbox.resolve("outbox.log"))).hasSize(11);

    // One region only: its four due accounts were asked this week already.
    JsonNode north =
        runToEnd(
            "workflows",
            "kyc-review",
            Map.of("region", "north", "outbox", outbox.toString(), "outageFor", ""));
    assertThat(north.get("status").asText()).isEqualTo("completed");
    assertThat(north.get("subjectsMatched").asInt()).isEqualTo(4);
    assertThat(north.get("counts").get("idempotent-replay").asInt()).isEqualTo(4);
    assertThat(tasks(north)).hasSize(8);
  }

  @Test
  void daily_report_extracts_summarizes_and_writes_the_report() throws IOException {
    Path reports = out.resolve("reports");
    JsonNode run =
        runToEnd(
            "workflows",
            "daily-report",
            Map.of("date", "2024-03-01", "reportDir", reports.toString()));
    assertThat(run.get("status").asText()).isEqualTo("completed");
    JsonNode summarize = task(tasks(run), "summarize");
    Path report = reports.resolve("daily-report-2024-03-01.txt");
    assertThat(summarize.get("result").get("ref").asText()).isEqualTo(report.toString());
    assertThat(Files.readString(report))
        .contains("Daily sales report for 2024-03-01", "total", "Top branch: oslo");

    ApiClient.Response bad =
        api.post(
            "/api/workflows/daily-report/trigger", Map.of("parameters", Map.of("date", "today")));
    assertThat(bad.status()).isEqualTo(400);
  }

  @Test
  void create_service_waits_for_an_approver_before_creating() {
    Path root = out.resolve("services");
    ApiClient.Response started =
        api.post(
            "/api/workflows/create-service/trigger",
            Map.of("parameters", Map.of("name", "ledger-api", "root", root.toString())));
    assertThat(started.status()).as(started.text()).isEqualTo(202);
    String id = started.json().get("id").asText();
    Runs.awaitTask(api, id, "create", "awaiting-approval");
    Runs.awaitTask(api, id, "plan", "succeeded");
    assertThat(api.get("/api/runs/" + id).json().get("status").asText()).isEqualTo("running");
    assertThat(root.resolve("ledger-api")).doesNotExist();

    assertThat(api.post("/api/runs/" + id + "/cancel", null).status()).isIn(200, 202);
    assertThat(Runs.awaitTerminal(api, id).get("status").asText()).isEqualTo("cancelled");
    assertThat(root.resolve("ledger-api")).doesNotExist();

    // Approved by someone other than the one who triggered it, create runs and writes the service.
    ApiClient.Response token = api.post("/api/tokens", Map.of("name", "boss", "role", "approver"));
    ApiClient approver = server.client(token.json().get("token").asText());
    String approved =
        api.post(
                "/api/workflows/create-service/trigger",
                Map.of(
                    "parameters",
                    Map.of(
                        "name",
                        "ledger-api",
                        "owner",
                        "team-ledger",
                        "language",
                        "go",
                        "root",
                        root.toString())))
            .json()
            .get("id")
            .asText();
    Runs.awaitTask(api, approved, "create", "awaiting-approval");
    String approval =
        api.get("/api/approvals?state=pending").json().get("items").get(0).get("id").asText();
    assertThat(api.post("/api/approvals/" + approval + "/approve", Map.of()).status())
        .as("not by the principal who triggered it")
        .isEqualTo(403);
    assertThat(approver.post("/api/approvals/" + approval + "/approve", Map.of()).status())
        .isEqualTo(200);
    assertThat(Runs.awaitTerminal(api, approved).get("status").asText()).isEqualTo("completed");
    assertThat(root.resolve("ledger-api/main.go")).exists();
    assertThat(root.resolve("ledger-api/CODEOWNERS")).hasContent("* @team-ledger");
    JsonNode taken =
        runToEnd(
            "workflows", "create-service", Map.of("name", "ledger-api", "root", root.toString()));
    assertThat(taken.get("status").asText()).isEqualTo("failed");
    assertThat(task(tasks(taken), "plan").get("failure").get("cause").asText())
        .contains("already exists");

    // A rejection skips create and announce with it; a dismissal is not a failure.
    String dismissed =
        api.post(
                "/api/workflows/create-service/trigger",
                Map.of("parameters", Map.of("name", "ledger-web", "root", root.toString())))
            .json()
            .get("id")
            .asText();
    Runs.awaitTask(api, dismissed, "create", "awaiting-approval");
    String rejection = null;
    for (JsonNode a : api.get("/api/approvals?state=pending").json().get("items")) {
      if (a.get("runId").asText().equals(dismissed)) {
        rejection = a.get("id").asText();
      }
    }
    assertThat(
            approver
                .post("/api/approvals/" + rejection + "/reject", Map.of("comment", "not now"))
                .status())
        .isEqualTo(200);
    JsonNode rejected = Runs.awaitTerminal(api, dismissed);
    assertThat(rejected.get("status").asText()).isEqualTo("completed");
    List<JsonNode> rejectedTasks = tasks(rejected);
    assertThat(task(rejectedTasks, "create").get("skipReason").asText())
        .isEqualTo("approval-rejected");
    assertThat(task(rejectedTasks, "announce").get("status").asText()).isEqualTo("skipped");
    assertThat(task(rejectedTasks, "announce").get("skipReason").asText())
        .isEqualTo("approval-rejected");
    assertThat(root.resolve("ledger-web")).doesNotExist();
  }

  @Test
  void aml_monitor_failure_files_one_finding_per_monitor_result() throws IOException {
    Path register = out.resolve("aml-findings");
    Map<String, Object> params = Map.of("resultId", "AMLR-T-1", "register", register.toString());
    JsonNode first = runToEnd("workflows", "aml-monitor-failure", params);
    assertThat(first.get("status").asText()).isEqualTo("completed");
    String finding = task(tasks(first), "create-finding").get("result").get("ref").asText();
    assertThat(finding).startsWith("FND-");
    assertThat(register.resolve(finding + ".json")).exists();

    JsonNode second = runToEnd("workflows", "aml-monitor-failure", params);
    assertThat(second.get("status").asText()).isEqualTo("completed");
    List<JsonNode> tasks = tasks(second);
    assertThat(task(tasks, "create-finding").get("status").asText()).isEqualTo("idempotent-replay");
    assertThat(task(tasks, "log").get("status").asText()).isEqualTo("succeeded");
    assertThat(Files.readAllLines(register.resolve("register.log"))).hasSize(1);
  }

  @Test
  void post_incident_review_opens_a_finding_only_when_the_review_is_missing() {
    String register = out.resolve("pir-findings").toString();
    JsonNode missing =
        runToEnd(
            "workflows",
            "post-incident-review",
            Map.of("incident", "INC-1042", "register", register));
    assertThat(missing.get("status").asText()).isEqualTo("completed");
    assertThat(task(tasks(missing), "open-finding").get("status").asText()).isEqualTo("succeeded");

    JsonNode reviewed =
        runToEnd(
            "workflows",
            "post-incident-review",
            Map.of("incident", "INC-1041", "register", register));
    assertThat(reviewed.get("status").asText()).isEqualTo("completed");
    JsonNode skipped = task(tasks(reviewed), "open-finding");
    assertThat(skipped.get("status").asText()).isEqualTo("skipped");
    assertThat(skipped.get("skipReason").asText()).isEqualTo("condition-false");
  }

  @Test
  void post_incident_review_starts_on_a_closed_incident_with_the_event_data_as_parameters() {
    ApiClient.Response r = api.post("/api/events", incidentClosed("pir-1", "INC-1041", "sev1"));
    assertThat(r.status()).as(r.text()).isEqualTo(202);
    assertThat(r.json().get("runs")).hasSize(1);
    JsonNode run = Runs.awaitTerminal(api, r.json().get("runs").get(0).asText());
    assertThat(run.get("status").asText()).isEqualTo("completed");
    assertThat(run.get("parameters").get("incident").asText()).isEqualTo("INC-1041");
    assertThat(run.get("parameters").get("severity").asText()).isEqualTo("sev1");
    assertThat(run.get("parameters").get("register").asText())
        .isEqualTo("/tmp/runledger-examples/findings");
    assertThat(task(tasks(run), "open-finding").get("skipReason").asText())
        .isEqualTo("condition-false");

    ApiClient.Response minor = api.post("/api/events", incidentClosed("pir-2", "INC-9", "sev3"));
    assertThat(minor.json().get("runs")).isEmpty();

    // The inputs' pattern refuses what the event gives: nothing starts, and the audit says why.
    ApiClient.Response bad = api.post("/api/events", incidentClosed("pir-3", "INC 9/..", "sev2"));
    assertThat(bad.json().get("runs")).isEmpty();
    List<String> causes = new ArrayList<>();
    api.get("/api/audit?type=event.start-failed")
        .json()
        .get("items")
        .forEach(a -> causes.add(a.get("details").get("cause").asText()));
    assertThat(causes).anySatisfy(c -> assertThat(c).contains("parameters.incident"));
  }

  private static Map<String, Object> incidentClosed(String id, String incident, String severity) {
    return Map.of(
        "specversion",
        "1.0",
        "id",
        id,
        "source",
        "tracker/incidents",
        "type",
        "incident.closed",
        "data",
        Map.of("incident", incident, "severity", severity));
  }

  @Test
  void the_action_examples_complete() {
    Map<String, Map<String, Object>> actions =
        Map.of(
            "hello", Map.of("who", "Sigrid", "times", 3),
            "disk-usage", Map.of("path", out.toString()),
            "say", Map.of("message", "hi"),
            "wait-a-bit", Map.of(),
            "check-health", Map.of("url", server.node().url() + "/api/health"));
    List<String> ids = new ArrayList<>();
    actions.forEach((name, params) -> ids.add(trigger("actions", name, params)));
    for (String id : ids) {
      JsonNode run = Runs.awaitTerminal(api, id);
      assertThat(run.get("status").asText()).as(run.get("action").asText()).isEqualTo("completed");
    }
  }

  private String trigger(String kind, String name, Map<String, Object> params) {
    ApiClient.Response r =
        api.post("/api/" + kind + "/" + name + "/trigger", Map.of("parameters", params));
    assertThat(r.status()).as(r.text()).isEqualTo(202);
    return r.json().get("id").asText();
  }

  private JsonNode runToEnd(String kind, String name, Map<String, Object> params) {
    return Runs.awaitTerminal(api, trigger(kind, name, params));
  }

  private static List<JsonNode> tasks(JsonNode run) {
    List<JsonNode> all = new ArrayList<>();
    api.get("/api/runs/" + run.get("id").asText() + "/tasks?limit=500")
        .json()
        .get("items")
        .forEach(all::add);
    return all;
  }

  private static JsonNode task(List<JsonNode> tasks, String name) {
    return tasks.stream()
        .filter(t -> t.get("name").asText().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no task " + name));
  }
}
