package dev.runledger.api;

import static org.assertj.core.api.Assertions.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runledger.model.Json;
import dev.runledger.testing.ApiClient;
import dev.runledger.testing.Runs;
import dev.runledger.testing.StoreKind;
import dev.runledger.testing.TestServer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real responses match the served OpenAPI document: on a server seeded through the API with
 * definitions, runs of every kind (failed, fanned out, awaiting approval, approved and reviewed,
 * cancelled, aborted, retried, rerun, a child run, from a schedule and from an event), files and
 * their lineage, tokens, secrets and the audit trail, every documented GET is called and its
 * status, Content-Type and body are checked against what the operation documents, and so are its
 * documented error answers (404 for an unknown id, 400 for a bad query parameter).
 */
class DocumentedResponsesTest {
  /**
   * GETs not walked here, each with the reason; every other documented GET must be walked. None at
   * present: even the log stream ({@code follow=true}) is walked, on an attempt that has ended so
   * that it closes; as the document types its events (and the text log, metrics and this document)
   * as text, only their status and Content-Type say anything.
   */
  private static final Map<String, String> SKIPPED = Map.of();

  private static TestServer server;
  private static ApiClient admin;
  private static ApiClient viewer;
  private static ApiClient limited;
  private static DocumentedResponses document;

  private static String pipelineRun;
  private static String fanoutRun;
  private static String failedRun;
  private static String okRun;
  private static String sleepingRun;
  private static String csvSha;
  private static String pngSha;
  private static String jsonSha;
  private static String htmlSha;
  private static String subjectTask;

  private static final String PRODUCE =
      """
      kind: action
      name: produce
      description: writes a CSV, a PNG, a JSON and an HTML file
      command:
        script: |
          printf 'region,total\\nnorth,17\\nsouth,4\\n' > data.csv
          printf 'chart' > chart.png
          printf '{"total": 21}' > totals.json
          printf '<p>report</p>' > report.html
          echo "rows=3" >> "$RUNLEDGER_OUTPUT"
          echo "produced files"
          echo "a warning" >&2
        outputs: {files: [data.csv, chart.png, totals.json, report.html]}
      """;

  private static final String SUMMARIZE =
      """
      kind: action
      name: summarize
      inputs: {type: object, required: [data], properties: {data: {type: string}}}
      command:
        script: |
          echo "lines=$(wc -l < input.csv)" >> "$RUNLEDGER_OUTPUT"
          wc -l < input.csv > count.txt
        inputs: {files: [{from: "${{ inputs.data }}", as: input.csv}]}
        outputs: {files: [count.txt]}
      """;

  private static final String LIST =
      """
      kind: action
      name: list-accounts
      command:
        script: |
          echo '{"accounts": [{"id": "a1", "active": true}, {"id": "a2", "active": false},
            {"id": "a3", "active": true}]}' > "$RUNLEDGER_OUTPUT"
      outputsSchema:
        type: object
        properties: {accounts: {type: array}}
      """;

  private static final String NOTIFY =
      """
      kind: action
      name: notify
      inputs: {type: object, properties: {account: {type: string}}}
      command:
        run: [echo, "${{ inputs.account }}", "${{ secrets.API_TOKEN }}"]
      result: "${{ inputs.account }}"
      """;

  private static final String PIPELINE =
      """
      kind: workflow
      name: pipeline
      steps:
        - id: extract
          uses: produce
        - id: summarize
          needs: [extract]
          uses: summarize
          with: {data: "${{ steps.extract.files['data.csv'] }}"}
      """;

  private static final String FANOUT =
      """
      kind: workflow
      name: fanout
      description: fans out over accounts, then asks for an approval
      inputs: {type: object, properties: {region: {type: string, default: north}}}
      on:
        manual: true
        schedule:
          - cron: "0 6 * * MON"
            timezone: Europe/Oslo
            parameters: {region: all}
        events:
          - type: accounts.changed
      review: required
      steps:
        - id: find
          uses: list-accounts
        - id: notify
          needs: [find]
          uses: notify
          forEach: "${{ steps.find.outputs.accounts }}"
          subjectKey: "${{ item.id }}"
          if: "item.active"
          idempotencyKey: "${{ 'notify:' + item.id + ':' + run.id }}"
          with: {account: "${{ item.id }}"}
        - id: file
          needs: [notify]
          uses: ok
          approval: {role: approver, expiresIn: 3d}
        - id: child
          needs: [file]
          uses: workflow:pipeline
      """;

  @BeforeAll
  static void seed() {
    server = TestServer.start(StoreKind.SQLITE);
    admin = server.admin();
    document = new DocumentedResponses(server.client(null).get("/api/openapi.yaml").text());

    put("/api/secrets/API_TOKEN", Map.of("value", "s3cret-value"), 201);
    put("/api/secrets/OTHER", Map.of("value", "other"), 201);
    define("actions", "ok", "kind: action\nname: ok\nbuiltin: {noop: {}}\n");
    define("actions", "ok", "kind: action\nname: ok\ndescription: second\nbuiltin: {noop: {}}\n");
    define(
        "actions",
        "boom",
        "kind: action\nname: boom\nbuiltin: {fail: {cause: broken, kind: deterministic}}\n");
    define("actions", "nap", "kind: action\nname: nap\nbuiltin: {sleep: {for: 10m}}\n");
    define("actions", "retired", "kind: action\nname: retired\nbuiltin: {noop: {}}\n");
    assertThat(admin.delete("/api/actions/retired").status()).isIn(200, 204);
    define("actions", "produce", PRODUCE);
    define("actions", "summarize", SUMMARIZE);
    define("actions", "list-accounts", LIST);
    define("actions", "notify", NOTIFY);
    define("workflows", "pipeline", PIPELINE);
    define("workflows", "fanout", FANOUT);

    viewer = server.client(token(Map.of("name", "vera", "role", "viewer")));
    limited =
        server.client(
            token(Map.of("name", "ops", "role", "operator", "projects", List.of("default"))));
    ApiClient approver =
        server.client(token(Map.of("name", "anna", "role", "approver", "expiresIn", "30d")));
    String gone =
        admin
            .post("/api/tokens", Map.of("name", "gone", "role", "viewer"))
            .json()
            .get("id")
            .asText();
    assertThat(admin.delete("/api/tokens/" + gone).status()).isEqualTo(204);

    okRun = trigger("/api/actions/ok/trigger", Map.of("labels", Map.of("team", "ops")));
    failedRun = trigger("/api/actions/boom/trigger", Map.of());
    Runs.awaitTerminal(admin, failedRun);
    ApiClient.Response retried =
        admin.post("/api/runs/" + failedRun + "/retry", Map.of("force", true));
    assertThat(retried.status()).as(retried.text()).isIn(200, 202);
    pipelineRun = trigger("/api/workflows/pipeline/trigger", Map.of());
    JsonNode pipeline = Runs.awaitTerminal(admin, pipelineRun);
    assertThat(pipeline.get("status").asText()).as(pipeline.toString()).isEqualTo("completed");
    Runs.awaitTerminal(admin, failedRun);
    Runs.awaitTerminal(admin, okRun);
    ApiClient.Response rerun = admin.post("/api/runs/" + okRun + "/rerun", Map.of("pin", true));
    assertThat(rerun.status()).as(rerun.text()).isEqualTo(202);

    Map<String, String> files = new LinkedHashMap<>();
    admin
        .get("/api/runs/" + pipelineRun + "/files")
        .json()
        .get("items")
        .forEach(f -> files.put(f.get("name").asText(), f.get("sha256").asText().substring(7)));
    csvSha = files.get("data.csv");
    pngSha = files.get("chart.png");
    jsonSha = files.get("totals.json");
    htmlSha = files.get("report.html");
    assertThat(List.of(csvSha, pngSha, jsonSha, htmlSha)).doesNotContainNull();
    trigger(
        "/api/actions/summarize/trigger", Map.of("parameters", Map.of("data", "sha256:" + csvSha)));

    // a fanned-out run approved, its child run and its review; another one left waiting
    fanoutRun = trigger("/api/workflows/fanout/trigger", Map.of("labels", Map.of("team", "kyc")));
    String approval = Runs.awaitPendingApproval(admin, fanoutRun);
    ApiClient.Response approved =
        approver.post("/api/approvals/" + approval + "/approve", Map.of("comment", "fine"));
    assertThat(approved.status()).as(approved.text()).isEqualTo(200);
    JsonNode fanout = Runs.awaitTerminal(admin, fanoutRun);
    assertThat(fanout.get("status").asText()).as(fanout.toString()).isEqualTo("completed");
    ApiClient.Response reviewed =
        approver.post(
            "/api/runs/" + fanoutRun + "/review",
            Map.of("decision", "approve", "comment", "checked"));
    assertThat(reviewed.status()).as(reviewed.text()).isEqualTo(200);
    subjectTask = "notify[a1]";

    String waiting = trigger("/api/workflows/fanout/trigger", Map.of());
    Runs.awaitPendingApproval(admin, waiting);
    String rejected = trigger("/api/workflows/fanout/trigger", Map.of());
    String toReject = Runs.awaitPendingApproval(admin, rejected);
    ApiClient.Response rejection =
        approver.post("/api/approvals/" + toReject + "/reject", Map.of("comment", "no"));
    assertThat(rejection.status()).as(rejection.text()).isEqualTo(200);
    Runs.awaitTerminal(admin, rejected);
    String cancelled = trigger("/api/workflows/fanout/trigger", Map.of());
    Runs.awaitPendingApproval(admin, cancelled);
    ApiClient.Response cancel =
        admin.post("/api/runs/" + cancelled + "/cancel", Map.of("reason", "not needed"));
    assertThat(cancel.status()).as(cancel.text()).isEqualTo(200);

    ApiClient.Response fired = admin.post("/api/workflows/fanout/schedules/0/fire", null);
    assertThat(fired.status()).as(fired.text()).isEqualTo(202);
    ApiClient.Response event =
        admin.post(
            "/api/events",
            Map.of(
                "specversion", "1.0",
                "id", "evt-1",
                "source", "crm",
                "type", "accounts.changed",
                "data", Map.of("count", 2)));
    assertThat(event.status()).as(event.text()).isEqualTo(202);

    // one run still sleeping (a leased or timed job), one aborted
    sleepingRun = trigger("/api/actions/nap/trigger", Map.of());
    Runs.awaitTask(admin, sleepingRun, "nap", "running");
    String aborted = trigger("/api/actions/nap/trigger", Map.of());
    Runs.awaitTask(admin, aborted, "nap", "running");
    ApiClient.Response abort =
        admin.post("/api/runs/" + aborted + "/abort", Map.of("reason", "too slow"));
    assertThat(abort.status()).as(abort.text()).isEqualTo(200);
    Runs.awaitTerminal(admin, aborted);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** The requests walked per operation: every documented GET must have at least one. */
  private static Map<String, List<String>> requests() {
    String run = "/api/runs/" + fanoutRun;
    String task = "/tasks/" + encode(subjectTask);
    Map<String, List<String>> m = new LinkedHashMap<>();
    m.put("listActions", List.of("/api/actions", "/api/actions?limit=2"));
    m.put("getAction", List.of("/api/actions/ok", "/api/actions/retired"));
    m.put("listActionRevisions", List.of("/api/actions/ok/revisions"));
    m.put("getActionRevision", List.of("/api/actions/ok/revisions/1"));
    m.put("listWorkflows", List.of("/api/workflows"));
    m.put("getWorkflow", List.of("/api/workflows/fanout", "/api/workflows/pipeline"));
    m.put("listWorkflowRevisions", List.of("/api/workflows/fanout/revisions"));
    m.put("getWorkflowRevision", List.of("/api/workflows/fanout/revisions/1"));
    m.put(
        "listRuns",
        List.of(
            "/api/runs",
            "/api/runs?limit=3",
            "/api/runs?status=failed&status=completed",
            "/api/runs?trigger=schedule",
            "/api/runs?trigger=event",
            "/api/runs?label=team:kyc&sort=completedAt"));
    m.put("listTasks", List.of("/api/tasks", "/api/tasks?status=failed&limit=2"));
    m.put(
        "getRun",
        List.of(
            run,
            "/api/runs/" + pipelineRun,
            "/api/runs/" + failedRun,
            "/api/runs/" + okRun,
            "/api/runs/" + sleepingRun));
    m.put(
        "listRunTasks",
        List.of(
            run + "/tasks",
            "/api/runs/" + failedRun + "/tasks",
            "/api/runs/" + sleepingRun + "/tasks"));
    m.put(
        "getRunTask",
        List.of(
            run + task,
            run + "/tasks/file",
            run + "/tasks/child",
            run + "/tasks/" + encode("notify[a2]"),
            "/api/runs/" + pipelineRun + "/tasks/extract",
            "/api/runs/" + pipelineRun + "/tasks/summarize",
            "/api/runs/" + failedRun + "/tasks/boom",
            "/api/runs/" + sleepingRun + "/tasks/nap"));
    m.put(
        "getTaskLogs",
        List.of(
            "/api/runs/" + pipelineRun + "/tasks/extract/logs",
            "/api/runs/" + failedRun + "/tasks/boom/logs?attempt=1",
            "/api/runs/" + pipelineRun + "/tasks/extract/logs?follow=true"));
    m.put("listRunFiles", List.of("/api/runs/" + pipelineRun + "/files", run + "/files"));
    m.put(
        "getFile",
        List.of(
            "/api/files/" + csvSha,
            "/api/files/sha256:" + pngSha,
            "/api/files/" + jsonSha,
            "/api/files/" + htmlSha));
    m.put("getFileLineage", List.of("/api/files/" + csvSha + "/lineage"));
    m.put("getRunLineage", List.of("/api/runs/" + pipelineRun + "/lineage", run + "/lineage"));
    m.put("getRunAudit", List.of(run + "/audit", "/api/runs/" + failedRun + "/audit"));
    m.put("listJobs", List.of("/api/jobs", "/api/jobs?state=done", "/api/jobs?state=leased"));
    m.put("listApprovals", List.of("/api/approvals", "/api/approvals?state=pending"));
    m.put(
        "listAudit",
        List.of(
            "/api/audit",
            "/api/audit?limit=5&order=asc",
            "/api/audit?runId=" + fanoutRun,
            "/api/audit?format=jsonl",
            "/api/audit?format=csv"));
    JsonNode head = admin.get("/api/audit/verify").json();
    m.put(
        "verifyAudit",
        List.of(
            "/api/audit/verify",
            "/api/audit/verify?anchorSeq="
                + head.path("events").asLong()
                + "&anchorHash="
                + encode(head.path("headHash").asText())));
    m.put(
        "reportRuns",
        List.of(
            "/api/reports/runs?from=2020-01-01&to=2100-01-01",
            "/api/reports/runs?from=2020-01-01&to=2100-01-01&workflow=fanout",
            "/api/reports/runs?from=2020-01-01&to=2100-01-01&format=csv"));
    m.put("listTokens", List.of("/api/tokens"));
    m.put("listSecrets", List.of("/api/secrets"));
    m.put("health", List.of("/api/health"));
    m.put("ready", List.of("/api/ready"));
    m.put("listNodes", List.of("/api/nodes"));
    m.put("metrics", List.of("/metrics"));
    m.put("openapi", List.of("/api/openapi.yaml"));
    m.put("definitionSchema", List.of("/api/schemas/definition.json"));
    return m;
  }

  @Test
  void every_documented_get_answers_with_a_documented_status_content_type_and_body() {
    Map<String, List<String>> requests = requests();
    List<String> mismatches = new ArrayList<>();
    Set<String> uncovered = new TreeSet<>();
    Set<String> documented = new TreeSet<>();
    Set<String> conditional = new TreeSet<>();
    for (DocumentedResponses.Operation op : document.operations("get")) {
      documented.add(op.id());
      List<String> paths = requests.get(op.id());
      if (paths == null) {
        if (!SKIPPED.containsKey(op.id())) {
          uncovered.add(op.id() + " " + op.path());
        }
        continue;
      }
      for (String path : paths) {
        ApiClient.Response r = admin.get(path);
        assertThat(r.status()).as(path + ": " + r.text()).isLessThan(300);
        mismatches.addAll(document.mismatches(op, path, r));
        String etag = r.header("ETag");
        if (etag != null) {
          // a tagged answer asked again with its tag: whatever comes back is documented too
          ApiClient.Response again =
              admin.send("GET", path, null, null, Map.of("If-None-Match", etag));
          mismatches.addAll(document.mismatches(op, path + " (If-None-Match)", again));
          conditional.add(op.id() + " " + again.status());
        }
      }
    }
    assertThat(conditional).as("tagged answers asked again").contains("getRun 304");
    assertThat(uncovered).as("documented GETs this test does not call").isEmpty();
    assertThat(documented)
        .as("operations walked here but not documented")
        .containsAll(requests.keySet());
    assertThat(mismatches).as("responses that do not match the document").isEmpty();
  }

  @Test
  void unknown_ids_answer_404_problems_as_documented() {
    List<String> mismatches = new ArrayList<>();
    List<String> undocumented = new ArrayList<>();
    List<String> checked = new ArrayList<>();
    for (DocumentedResponses.Operation op : document.operations("get")) {
      List<String> names = pathParameters(op);
      if (names.isEmpty()) {
        continue;
      }
      if (!document.documents(op, 404)) {
        undocumented.add(op.id());
        continue;
      }
      for (String unknown : names) {
        String path = op.path();
        for (String name : names) {
          String value = name.equals(unknown) ? unknownValue(name) : knownValue(op.path(), name);
          path = path.replace("{" + name + "}", value);
        }
        ApiClient.Response r = admin.get(path);
        checked.add(path);
        if (r.status() != 404) {
          mismatches.add(op.id() + " GET " + path + " -> " + r.status() + ", not 404");
        } else {
          mismatches.addAll(document.mismatches(op, path, r));
          mismatches.addAll(notAProblem(op, path, r));
        }
      }
    }
    assertThat(undocumented).as("GETs with path parameters that do not document 404").isEmpty();
    assertThat(checked).hasSizeGreaterThan(15);
    assertThat(mismatches).as("404 answers that do not match the document").isEmpty();
  }

  @Test
  void without_a_token_or_the_role_protected_gets_answer_401_and_403_problems_as_documented() {
    Map<String, List<String>> requests = requests();
    ApiClient anonymous = server.client(null);
    List<String> mismatches = new ArrayList<>();
    Set<String> forbidden = new TreeSet<>();
    for (DocumentedResponses.Operation op : document.operations("get")) {
      String path = requests.get(op.id()).get(0);
      JsonNode security = op.node().path("security");
      if (security.isArray() && security.isEmpty()) {
        continue;
      }
      ApiClient.Response r = anonymous.get(path);
      if (r.status() != 401) {
        mismatches.add(op.id() + " GET " + path + " without a token -> " + r.status());
      } else {
        mismatches.addAll(document.mismatches(op, path, r));
        mismatches.addAll(notAProblem(op, path, r));
      }
      ApiClient.Response asViewer = viewer.get(path);
      if (asViewer.status() == 403) {
        forbidden.add(op.id());
        mismatches.addAll(document.mismatches(op, path + " (viewer)", asViewer));
        mismatches.addAll(notAProblem(op, path, asViewer));
      }
    }
    assertThat(forbidden)
        .as("admin GETs refused to a viewer")
        .contains("listTokens", "listSecrets");
    assertThat(mismatches).as("401 and 403 answers that do not match the document").isEmpty();
  }

  @Test
  void a_token_limited_to_other_projects_gets_documented_answers() {
    Map<String, List<String>> requests = requests();
    List<String> mismatches = new ArrayList<>();
    Set<String> notFound = new TreeSet<>();
    for (DocumentedResponses.Operation op : document.operations("get")) {
      boolean takesProject =
          document.parameters(op).stream().anyMatch(p -> p.path("name").asText().equals("project"));
      if (!takesProject) {
        continue;
      }
      String path = withQuery(requests.get(op.id()).get(0), "project", "elsewhere");
      ApiClient.Response r = limited.get(path);
      if (r.status() == 404) {
        notFound.add(op.id());
        mismatches.addAll(notAProblem(op, path, r));
      }
      mismatches.addAll(document.mismatches(op, path, r));
    }
    assertThat(notFound).contains("listRuns", "getRun", "listTasks");
    assertThat(mismatches)
        .as("answers to another project that do not match the document")
        .isEmpty();
  }

  @Test
  void bad_query_parameters_answer_400_problems_naming_the_parameter_as_documented() {
    Map<String, List<String>> requests = requests();
    List<String> mismatches = new ArrayList<>();
    List<String> untested = new ArrayList<>();
    int checked = 0;
    for (DocumentedResponses.Operation op : document.operations("get")) {
      String base = requests.get(op.id()).get(0);
      if (!document.documents(op, 400)) {
        // whatever a route that documents no 400 makes of a parameter it does not take
        String path = withQuery(base, "no-such-parameter", "1");
        mismatches.addAll(document.mismatches(op, path, admin.get(path)));
        continue;
      }
      Map<String, String> bad = badRequests(op, base);
      if (bad.isEmpty()) {
        untested.add(op.id());
      }
      for (Map.Entry<String, String> e : bad.entrySet()) {
        String path = e.getKey();
        ApiClient.Response r = admin.get(path);
        checked++;
        if (r.status() != 400) {
          mismatches.add(op.id() + " GET " + path + " -> " + r.status() + ", not 400");
          continue;
        }
        mismatches.addAll(document.mismatches(op, path, r));
        mismatches.addAll(notAProblem(op, path, r));
        if (!r.text().contains(e.getValue())) {
          mismatches.add(op.id() + " GET " + path + ": the problem does not name " + e.getValue());
        }
      }
    }
    assertThat(untested).as("GETs documenting 400 without a bad request made here").isEmpty();
    assertThat(checked).isGreaterThan(20);
    assertThat(mismatches).as("400 answers that do not match the document").isEmpty();
  }

  @Test
  void the_check_itself_reports_an_undocumented_status_media_type_field_and_value() {
    DocumentedResponses.Operation getRun = document.operation("getRun");
    ApiClient.Response real = admin.get("/api/runs/" + okRun);
    assertThat(document.mismatches(getRun, "real", real)).isEmpty();

    ObjectNode run = (ObjectNode) real.json();
    run.put("status", "bogus");
    run.put("undocumentedField", 1);
    ((ObjectNode) run.get("trigger")).put("alsoUndocumented", true);
    List<String> wrong =
        document.mismatches(getRun, "wrong", response(200, "application/json", run));
    assertThat(String.join("\n", wrong))
        .contains("/status", "undocumentedField", "/trigger", "alsoUndocumented");
    assertThat(document.mismatches(getRun, "teapot", response(418, "application/json", run)))
        .singleElement(as(STRING))
        .contains("status not documented");
    assertThat(document.mismatches(getRun, "text", response(200, "text/html", run)))
        .singleElement(as(STRING))
        .contains("Content-Type text/html not documented");
    JsonNode problem = Json.read("{\"type\": \"about:blank\", \"status\": 404}");
    assertThat(
            document.mismatches(
                getRun, "problem", response(404, "application/problem+json", problem)))
        .singleElement(as(STRING))
        .contains("title");
  }

  private static ApiClient.Response response(int status, String contentType, JsonNode body) {
    return new ApiClient.Response(status, Map.of("content-type", contentType), body.toString());
  }

  /**
   * Requests of the operation with one parameter wrong, each with the name the problem must
   * mention: a parameter it does not take, a value its schema refuses (not a number, out of range,
   * not in the enum, not a time), a cursor that is not one, a required parameter left out, a
   * malformed digest in the path.
   */
  private static Map<String, String> badRequests(DocumentedResponses.Operation op, String base) {
    Map<String, String> out = new LinkedHashMap<>();
    out.put(withQuery(base, "no-such-parameter", "1"), "no-such-parameter");
    for (JsonNode parameter : document.parameters(op)) {
      String name = parameter.path("name").asText();
      String in = parameter.path("in").asText();
      if (in.equals("path") && name.equals("sha256")) {
        out.put(base.replaceFirst("/api/files/[^/]+", "/api/files/not-a-digest"), name);
      }
      if (!in.equals("query")) {
        continue;
      }
      if (parameter.path("required").asBoolean()) {
        out.put(withQuery(base, name, null), name);
      }
      for (String value : badValues(name, document.schemaOf(parameter))) {
        out.put(withQuery(base, name, value), name);
      }
    }
    return out;
  }

  /** Values (already URL-encoded) that a parameter's schema refuses. */
  private static List<String> badValues(String name, JsonNode schema) {
    if (name.equals("cursor")) {
      return List.of(encode("%%%"));
    }
    JsonNode s =
        schema.path("type").asText().equals("array")
            ? document.resolved(schema.path("items"))
            : schema;
    List<String> out = new ArrayList<>();
    switch (s.path("type").asText()) {
      case "integer" -> {
        out.add("abc");
        if (s.has("minimum")) {
          out.add(Long.toString(s.get("minimum").asLong() - 1));
        }
        if (s.has("maximum")) {
          out.add(Long.toString(s.get("maximum").asLong() + 1));
        }
      }
      case "boolean" -> out.add("maybe");
      case "string" -> {
        if (s.has("enum")) {
          out.add("no-such-value");
        } else if (s.path("format").asText().equals("date-time")) {
          out.add("not-a-time");
        }
      }
      default -> {}
    }
    return out;
  }

  /** The request with the query parameter set to the value (or left out, for null). */
  private static String withQuery(String request, String name, String value) {
    int q = request.indexOf('?');
    String path = q < 0 ? request : request.substring(0, q);
    List<String> pairs = new ArrayList<>();
    if (q >= 0) {
      for (String pair : request.substring(q + 1).split("&")) {
        if (!pair.startsWith(name + "=")) {
          pairs.add(pair);
        }
      }
    }
    if (value != null) {
      pairs.add(name + "=" + value);
    }
    return pairs.isEmpty() ? path : path + "?" + String.join("&", pairs);
  }

  private static List<String> notAProblem(
      DocumentedResponses.Operation op, String path, ApiClient.Response r) {
    String type = r.header("Content-Type");
    return type != null && type.startsWith("application/problem+json")
        ? List.of()
        : List.of(op.id() + " GET " + path + ": Content-Type " + type + ", not a problem");
  }

  private static List<String> pathParameters(DocumentedResponses.Operation op) {
    List<String> names = new ArrayList<>();
    for (JsonNode parameter : document.parameters(op)) {
      if (parameter.path("in").asText().equals("path")) {
        names.add(parameter.path("name").asText());
      }
    }
    return names;
  }

  private static String knownValue(String template, String name) {
    return switch (name) {
      case "name" -> template.startsWith("/api/workflows") ? "fanout" : "ok";
      case "revision" -> "1";
      case "id" -> fanoutRun;
      case "taskName" -> encode(subjectTask);
      case "sha256" -> csvSha;
      default ->
          throw new IllegalArgumentException("no known value for " + name + " in " + template);
    };
  }

  private static String unknownValue(String name) {
    return switch (name) {
      case "name" -> "no-such-name";
      case "revision" -> "99";
      case "id" -> "run_01AAAAAAAAAAAAAAAAAAAAAAAA";
      case "taskName" -> "no-such-task";
      case "sha256" -> "0".repeat(64);
      default -> throw new IllegalArgumentException("no unknown value for " + name);
    };
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static void define(String kind, String name, String yaml) {
    ApiClient.Response r = admin.putYaml("/api/" + kind + "/" + name, yaml);
    assertThat(r.status()).as(r.text()).isIn(200, 201);
  }

  private static void put(String path, Object body, int status) {
    ApiClient.Response r = admin.put(path, body);
    assertThat(r.status()).as(r.text()).isEqualTo(status);
  }

  private static String token(Map<String, Object> body) {
    ApiClient.Response r = admin.post("/api/tokens", body);
    assertThat(r.status()).as(r.text()).isEqualTo(201);
    return r.json().get("token").asText();
  }

  private static String trigger(String path, Object body) {
    ApiClient.Response r = admin.post(path, body);
    assertThat(r.status()).as(r.text()).isEqualTo(202);
    return r.json().get("id").asText();
  }
}
