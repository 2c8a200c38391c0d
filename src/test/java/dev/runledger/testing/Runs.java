package dev.runledger.testing;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Set;

/** Waiting for runs in tests. */
public final class Runs {
  private static final Set<String> TERMINAL =
      Set.of("completed", "completed-with-failures", "failed", "cancelled");

  private Runs() {}

  /** Polls the run until it is terminal and returns it. */
  public static JsonNode awaitTerminal(ApiClient client, String runId) {
    return awaitTerminal(client, runId, Duration.ofSeconds(30));
  }

  public static JsonNode awaitTerminal(ApiClient client, String runId, Duration atMost) {
    JsonNode[] last = new JsonNode[1];
    await()
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              last[0] = client.get("/api/runs/" + runId).json();
              return TERMINAL.contains(last[0].path("status").asText());
            });
    return last[0];
  }

  /** Polls until the run's task has the status. */
  public static JsonNode awaitTask(ApiClient client, String runId, String task, String status) {
    JsonNode[] last = new JsonNode[1];
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              last[0] = client.get("/api/runs/" + runId + "/tasks/" + task).json();
              return status.equals(last[0].path("status").asText());
            });
    return last[0];
  }

  /** Polls until the run has a pending approval and returns its id. */
  public static String awaitPendingApproval(ApiClient client, String runId) {
    String[] id = {null};
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              for (JsonNode a : client.get("/api/approvals?state=pending").json().get("items")) {
                if (a.get("runId").asText().equals(runId)) {
                  id[0] = a.get("id").asText();
                  return true;
                }
              }
              return false;
            });
    return id[0];
  }
}
