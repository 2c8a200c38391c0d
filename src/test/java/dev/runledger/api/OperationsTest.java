package dev.runledger.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runledger.testing.ApiClient;
import dev.runledger.testing.Runs;
import dev.runledger.testing.StoreKind;
import dev.runledger.testing.TestServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What operators and load balancers ask a node: readiness, the nodes, the metrics. */
class OperationsTest {
  private static TestServer server;
  private static ApiClient admin;

  @BeforeAll
  static void start() {
    server = TestServer.start(StoreKind.SQLITE, c -> c.with(ch -> ch.nodeName = "node-a"));
    admin = server.admin();
    admin.putYaml("/api/actions/ok", "kind: action\nname: ok\nbuiltin: {noop: {}}\n");
    admin.putYaml(
        "/api/actions/bad",
        "kind: action\nname: bad\nbuiltin: {fail: {cause: broken, kind: deterministic}}\n");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void ready_says_the_store_answers_and_is_migrated_without_a_token() {
    ApiClient anonymous = server.client(null);

    ApiClient.Response ready = anonymous.get("/api/ready");

    assertThat(ready.status()).isEqualTo(200);
    assertThat(ready.json().get("status").asText()).isEqualTo("ready");
    assertThat(ready.json().get("checks").get("store").asText()).isEqualTo("ok");
    assertThat(ready.json().get("checks").get("migrations").asText()).isEqualTo("applied");
  }

  @Test
  void the_node_lists_itself_by_its_name_and_its_attempts_carry_that_name_as_host() {
    JsonNode nodes = admin.get("/api/nodes").json().get("items");

    assertThat(nodes).hasSize(1);
    JsonNode self = nodes.get(0);
    assertThat(self.get("name").asText()).isEqualTo("node-a");
    assertThat(self.get("live").asBoolean()).isTrue();
    assertThat(self.get("slots").asInt()).isPositive();
    assertThat(self.get("id").asText()).startsWith("node-a:");

    String runId = admin.post("/api/actions/ok/trigger", Map.of()).json().get("id").asText();
    Runs.awaitTerminal(admin, runId);
    JsonNode task = admin.get("/api/runs/" + runId + "/tasks").json().get("items").get(0);
    JsonNode attempts =
        admin.get("/api/runs/" + runId + "/tasks/" + task.get("name").asText()).json();
    assertThat(attempts.get("attempts").get(0).get("host").asText()).isEqualTo("node-a");
  }

  @Test
  void nodes_and_metrics_need_a_token() {
    ApiClient anonymous = server.client(null);

    assertThat(anonymous.get("/api/nodes").status()).isEqualTo(401);
    assertThat(anonymous.get("/metrics").status()).isEqualTo(401);
    assertThat(server.client("not-a-token").get("/metrics").status()).isEqualTo(401);
  }

  @Test
  void metrics_count_runs_and_tasks_by_outcome_and_requests_by_route_template() {
    String ok = admin.post("/api/actions/ok/trigger", Map.of()).json().get("id").asText();
    String bad = admin.post("/api/actions/bad/trigger", Map.of()).json().get("id").asText();
    admin.putYaml(
        "/api/workflows/never",
        "kind: workflow\nname: never\nsteps:\n  - {id: skipped, uses: ok, if: \"1 == 2\"}\n");
    String never = admin.post("/api/workflows/never/trigger", Map.of()).json().get("id").asText();
    Runs.awaitTerminal(admin, ok);
    Runs.awaitTerminal(admin, bad);
    Runs.awaitTerminal(admin, never);
    admin.get("/api/runs/" + ok);

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              ApiClient.Response metrics = admin.get("/metrics");
              assertThat(metrics.status()).isEqualTo(200);
              assertThat(metrics.header("Content-Type")).startsWith("text/plain");
              String text = metrics.text();
              assertThat(counter(text, "runledger_runs_finished_total", "status=\"completed\""))
                  .isGreaterThanOrEqualTo(1);
              assertThat(counter(text, "runledger_runs_finished_total", "status=\"failed\""))
                  .isGreaterThanOrEqualTo(1);
              assertThat(counter(text, "runledger_tasks_finished_total", "outcome=\"succeeded\""))
                  .isGreaterThanOrEqualTo(1);
              assertThat(counter(text, "runledger_tasks_finished_total", "outcome=\"failed\""))
                  .isGreaterThanOrEqualTo(1);
              assertThat(counter(text, "runledger_tasks_finished_total", "outcome=\"skipped\""))
                  .as("a task planned skipped is a task finished")
                  .isGreaterThanOrEqualTo(1);
              assertThat(counter(text, "runledger_runs_started_total", "node=\"node-a\""))
                  .isGreaterThanOrEqualTo(2);
              // ids never become labels: the route's template does
              assertThat(text)
                  .contains("route=\"/api/runs/{id}\"")
                  .doesNotContain("route=\"/api/runs/" + ok + "\"");
              assertThat(text).contains("runledger_queue_jobs{", "jvm_memory_used_bytes");
            });
  }

  /** The value of the first sample of {@code name} whose labels hold {@code label}. */
  private static double counter(String text, String name, String label) {
    return text.lines()
        .filter(l -> l.startsWith(name + "{") && l.contains(label))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .findFirst()
        .orElse(-1);
  }
}
