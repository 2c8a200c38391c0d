package dev.runledger.api;

import static dev.runledger.api.ProblemAssertions.assertProblem;
import static dev.runledger.api.ProblemAssertions.errorFields;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runledger.testing.ApiClient;
import dev.runledger.testing.Runs;
import dev.runledger.testing.StoreKind;
import dev.runledger.testing.TestServer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The lists: tasks across runs, runs by completion, the audit trail in either order, and the
 * parameters each list takes, on each store.
 */
abstract class ListingContract {
  private static final String MICROS = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z";

  private TestServer server;
  private ApiClient admin;

  abstract StoreKind store();

  @BeforeEach
  void start() {
    server = TestServer.start(store());
    admin = server.admin();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private void put(String path, String yaml) {
    ApiClient.Response r = admin.putYaml(path, yaml);
    assertThat(r.status()).as(r.text()).isIn(200, 201);
  }

  private ApiClient token(String name, String role, List<String> projects) {
    Map<String, Object> body =
        projects == null
            ? Map.of("name", name, "role", role)
            : Map.of("name", name, "role", role, "projects", projects);
    ApiClient.Response r = admin.post("/api/tokens", body);
    assertThat(r.status()).as(r.text()).isEqualTo(201);
    return server.client(r.json().get("token").asText());
  }

  private static String trigger(ApiClient as, String path) {
    ApiClient.Response r = as.post(path, Map.of());
    assertThat(r.status()).as(r.text()).isEqualTo(202);
    return r.json().get("id").asText();
  }

  private static List<JsonNode> items(ApiClient.Response r) {
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    List<JsonNode> items = new ArrayList<>();
    r.json().get("items").forEach(items::add);
    return items;
  }

  private static List<String> texts(List<JsonNode> items, String field) {
    return items.stream().map(i -> i.get(field).asText()).toList();
  }

  /** Every item of a listing, page by page with {@code limit=1}, following the cursors. */
  private List<JsonNode> everyPage(String path) {
    List<JsonNode> all = new ArrayList<>();
    String cursor = null;
    do {
      String sep = path.contains("?") ? "&" : "?";
      JsonNode page =
          admin.get(path + sep + "limit=1" + (cursor == null ? "" : "&cursor=" + cursor)).json();
      page.get("items").forEach(all::add);
      cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
    } while (cursor != null && all.size() < 50);
    return all;
  }

  @Test
  void tasks_across_runs_are_listed_newest_first_with_the_runs_filters_and_a_cursor() {
    put("/api/actions/ok", "kind: action\nname: ok\nbuiltin: {noop: {}}\n");
    put(
        "/api/actions/boom",
        "kind: action\nname: boom\nbuiltin: {fail: {cause: broken, kind: deterministic}}\n");
    put("/api/actions/ok?project=team-b", "kind: action\nname: ok\nbuiltin: {noop: {}}\n");
    ApiClient operator = token("ops", "operator", null);

    String first = trigger(admin, "/api/actions/ok/trigger");
    Runs.awaitTerminal(admin, first);
    Instant between = Instant.now();
    String second = trigger(operator, "/api/actions/boom/trigger");
    String operatorName = Runs.awaitTerminal(admin, second).get("triggeredBy").asText();
    String third = trigger(admin, "/api/actions/ok/trigger");
    Runs.awaitTerminal(admin, third);
    String other = trigger(admin, "/api/actions/ok/trigger?project=team-b");
    Runs.awaitTerminal(admin, other + "?project=team-b");

    List<JsonNode> all = items(admin.get("/api/tasks"));
    assertThat(texts(all, "runId")).containsExactly(third, second, first);
    JsonNode failed = all.get(1);
    assertThat(failed.get("status").asText()).isEqualTo("failed");
    assertThat(failed.get("action").asText()).isEqualTo("boom");
    assertThat(failed.get("runAction").asText()).isEqualTo("boom");
    assertThat(failed.get("triggeredBy").asText()).isEqualTo(operatorName);
    assertThat(failed.get("failure").get("cause").asText()).isEqualTo("broken");
    assertThat(failed.get("links").get("run").asText()).isEqualTo("/api/runs/" + second);
    for (JsonNode task : all) {
      assertThat(task.get("createdAt").asText()).matches(MICROS);
      assertThat(task.get("updatedAt").asText()).matches(MICROS);
      assertThat(task.get("completedAt").asText()).matches(MICROS);
      // a finished task last changed when it completed, after it was planned
      Instant created = Instant.parse(task.get("createdAt").asText());
      Instant completed = Instant.parse(task.get("completedAt").asText());
      assertThat(completed).isAfterOrEqualTo(created);
      assertThat(Instant.parse(task.get("updatedAt").asText()))
          .isAfterOrEqualTo(completed)
          .isBefore(completed.plusSeconds(5));
      JsonNode own = admin.get(task.get("links").get("task").asText()).json();
      assertThat(own.get("name").asText()).isEqualTo(task.get("name").asText());
      assertThat(own.get("createdAt").asText()).isEqualTo(task.get("createdAt").asText());
      assertThat(own.get("updatedAt").asText()).isEqualTo(task.get("updatedAt").asText());
    }

    assertThat(texts(items(admin.get("/api/tasks?status=failed")), "runId"))
        .containsExactly(second);
    assertThat(texts(items(admin.get("/api/tasks?status=succeeded,failed")), "runId"))
        .containsExactly(third, second, first);
    assertThat(texts(items(admin.get("/api/tasks?action=ok")), "runId"))
        .containsExactly(third, first);
    assertThat(texts(items(admin.get("/api/tasks?triggeredBy=" + operatorName)), "runId"))
        .containsExactly(second);
    assertThat(texts(items(admin.get("/api/tasks?since=" + between)), "runId"))
        .containsExactly(third, second);
    assertThat(texts(items(admin.get("/api/tasks?until=" + between)), "runId"))
        .containsExactly(first);
    assertThat(texts(everyPage("/api/tasks"), "runId")).containsExactly(third, second, first);

    // the project's tasks only, and a token limited to another project sees none of them
    List<JsonNode> teamB = items(admin.get("/api/tasks?project=team-b"));
    assertThat(texts(teamB, "runId")).containsExactly(other);
    assertThat(teamB.get(0).get("links").get("run").asText())
        .isEqualTo("/api/runs/" + other + "?project=team-b");
    ApiClient teamBViewer = token("team-b", "viewer", List.of("team-b"));
    assertProblem(teamBViewer.get("/api/tasks"), 404);
    assertThat(texts(items(teamBViewer.get("/api/tasks?project=team-b")), "runId"))
        .containsExactly(other);

    assertThat(errorFields(assertProblem(admin.get("/api/tasks?status=done"), 400)))
        .containsExactly("status");
    assertThat(errorFields(assertProblem(admin.get("/api/tasks?cursor=nope"), 400)))
        .containsExactly("cursor");
  }

  @Test
  void runs_filtered_by_labels_are_those_with_every_label_newest_first_page_by_page() {
    put("/api/actions/tag", "kind: action\nname: tag\nbuiltin: {noop: {}}\n");
    List<String> teamA = new ArrayList<>();
    List<String> both = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      Map<String, String> labels =
          i % 2 == 0
              ? Map.of("team", "a", "tier", i % 4 == 0 ? "gold" : "tin")
              : Map.of("team", "b");
      ApiClient.Response r = admin.post("/api/actions/tag/trigger", Map.of("labels", labels));
      assertThat(r.status()).as(r.text()).isEqualTo(202);
      String id = r.json().get("id").asText();
      if (i % 2 == 0) {
        teamA.add(0, id);
        if (i % 4 == 0) {
          both.add(0, id);
        }
      }
    }
    assertThat(texts(everyPage("/api/runs?label=team:a"), "id")).isEqualTo(teamA);
    assertThat(texts(everyPage("/api/runs?label=team:a&label=tier:gold"), "id")).isEqualTo(both);
    assertThat(items(admin.get("/api/runs?label=team:nobody"))).isEmpty();
    assertThat(items(admin.get("/api/runs?label=team:b&label=tier:gold"))).isEmpty();
  }

  @Test
  void runs_sorted_by_completion_put_the_latest_finished_first_and_unfinished_last() {
    put("/api/actions/ok", "kind: action\nname: ok\nbuiltin: {noop: {}}\n");
    put(
        "/api/workflows/gated",
        """
        kind: workflow
        name: gated
        steps:
          - id: a
            uses: ok
            approval: {role: approver, allowSelfApproval: true}
        """);
    String approvedLate = trigger(admin, "/api/workflows/gated/trigger");
    String approval = Runs.awaitPendingApproval(admin, approvedLate);
    String quick = trigger(admin, "/api/actions/ok/trigger");
    Runs.awaitTerminal(admin, quick);
    assertThat(admin.post("/api/approvals/" + approval + "/approve", Map.of()).status())
        .isEqualTo(200);
    Runs.awaitTerminal(admin, approvedLate);
    String waiting = trigger(admin, "/api/workflows/gated/trigger");
    Runs.awaitPendingApproval(admin, waiting);

    assertThat(texts(items(admin.get("/api/runs")), "id"))
        .containsExactly(waiting, quick, approvedLate);
    assertThat(texts(items(admin.get("/api/runs?sort=createdAt")), "id"))
        .containsExactly(waiting, quick, approvedLate);
    assertThat(texts(items(admin.get("/api/runs?sort=completedAt")), "id"))
        .containsExactly(approvedLate, quick, waiting);
    assertThat(texts(everyPage("/api/runs?sort=completedAt"), "id"))
        .containsExactly(approvedLate, quick, waiting);
    assertThat(texts(everyPage("/api/runs?sort=completedAt&workflow=gated"), "id"))
        .containsExactly(approvedLate, waiting);

    assertThat(errorFields(assertProblem(admin.get("/api/runs?sort=id"), 400)))
        .containsExactly("sort");
    assertThat(
            errorFields(assertProblem(admin.get("/api/runs?sort=completedAt&cursor=run_x"), 400)))
        .containsExactly("cursor");
  }

  private static List<Instant> times(List<JsonNode> events) {
    return events.stream().map(e -> Instant.parse(e.get("at").asText())).toList();
  }

  @Test
  void audit_pages_are_newest_first_and_exports_oldest_first_unless_an_order_is_given() {
    put("/api/actions/ok", "kind: action\nname: ok\nbuiltin: {noop: {}}\n");
    Runs.awaitTerminal(admin, trigger(admin, "/api/actions/ok/trigger"));
    Runs.awaitTerminal(admin, trigger(admin, "/api/actions/ok/trigger"));

    List<JsonNode> page = items(admin.get("/api/audit?limit=500"));
    assertThat(page.size()).isGreaterThan(4);
    List<String> newestFirst = texts(page, "id");
    List<Instant> times = times(page);
    assertThat(times.get(0)).isAfter(times.get(times.size() - 1));
    List<String> oldestFirst = new ArrayList<>(newestFirst);
    java.util.Collections.reverse(oldestFirst);
    assertThat(texts(items(admin.get("/api/audit?order=desc&limit=500")), "id"))
        .isEqualTo(newestFirst);
    assertThat(texts(items(admin.get("/api/audit?order=asc&limit=500")), "id"))
        .isEqualTo(oldestFirst);
    assertThat(texts(everyPage("/api/audit?order=asc"), "id")).isEqualTo(oldestFirst);
    assertThat(texts(everyPage("/api/audit"), "id")).isEqualTo(newestFirst);

    assertThat(exportIds("/api/audit?format=jsonl")).isEqualTo(oldestFirst);
    assertThat(exportIds("/api/audit?format=jsonl&order=asc")).isEqualTo(oldestFirst);
    assertThat(exportIds("/api/audit?format=jsonl&order=desc")).isEqualTo(newestFirst);
    List<String> csv = admin.get("/api/audit?format=csv").text().lines().skip(1).toList();
    assertThat(csv).hasSize(oldestFirst.size());
    assertThat(csv.get(0)).contains(oldestFirst.get(0));

    assertThat(errorFields(assertProblem(admin.get("/api/audit?order=newest"), 400)))
        .containsExactly("order");
  }

  private List<String> exportIds(String path) {
    ApiClient.Response r = admin.get(path);
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    return r.text().lines().map(l -> dev.runledger.model.Json.read(l).get("id").asText()).toList();
  }

  @Test
  void every_list_route_refuses_a_query_parameter_it_does_not_take() {
    put("/api/actions/ok", "kind: action\nname: ok\nbuiltin: {noop: {}}\n");
    String run = trigger(admin, "/api/actions/ok/trigger");
    Runs.awaitTerminal(admin, run);
    List<String> lists =
        List.of(
            "/api/runs",
            "/api/runs/" + run + "/tasks",
            "/api/runs/" + run + "/audit",
            "/api/runs/" + run + "/files",
            "/api/tasks",
            "/api/actions",
            "/api/actions/ok/revisions",
            "/api/workflows",
            "/api/jobs",
            "/api/approvals",
            "/api/audit",
            "/api/tokens",
            "/api/secrets",
            "/api/reports/runs?from=2026-01-01&to=2026-03-31");
    for (String list : lists) {
      assertThat(admin.get(list).status()).as(list).isEqualTo(200);
      String sep = list.contains("?") ? "&" : "?";
      JsonNode problem = assertProblem(admin.get(list + sep + "workflowz=nightly"), 400);
      assertThat(errorFields(problem)).as(list).containsExactly("workflowz");
    }
    // the ones each route does take still work
    assertThat(admin.get("/api/runs?project=default&limit=1&status=completed").status())
        .isEqualTo(200);
    assertThat(admin.get("/api/audit?type=run.created&limit=2").status()).isEqualTo(200);
  }
}
