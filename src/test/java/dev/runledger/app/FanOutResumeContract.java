package dev.runledger.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runledger.testing.ApiClient;
import dev.runledger.testing.Databases;
import dev.runledger.testing.ServerProcess;
import dev.runledger.testing.StoreKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A fan-out is planned a page at a time, each page in its own transaction; a server killed between
 * pages plans the rest when it starts again.
 */
abstract class FanOutResumeContract {
  private static final int SUBJECTS = 6000;

  private Path dataDir;
  private String db;
  private ServerProcess server;

  abstract StoreKind store();

  @BeforeEach
  void prepare() throws IOException {
    dataDir = Files.createTempDirectory("runledger-fanout");
    db = store() == StoreKind.POSTGRESQL ? Databases.freshPostgres() : null;
  }

  @AfterEach
  void cleanUp() {
    if (server != null) {
      server.close();
    }
    if (db != null) {
      Databases.drop(db);
    }
  }

  private static int planned(ApiClient api, String runId) {
    JsonNode counts = api.get("/api/runs/" + runId).json().get("counts");
    int total = 0;
    for (JsonNode n : counts) {
      total += n.asInt();
    }
    return total;
  }

  @Test
  void a_fan_out_interrupted_between_pages_is_planned_to_the_end_after_a_restart() {
    server = ServerProcess.start(dataDir, db, "--workers", "2");
    ApiClient api = server.admin();
    String numbers =
        """
        kind: action
        name: numbers
        command:
          script: |
            out="$RUNLEDGER_OUTPUT"
            printf '{"items": [' > "$out"
            seq -s, 1 %d | tr -d '[:space:]' >> "$out"
            printf ']}' >> "$out"
        """
            .formatted(SUBJECTS);
    assertThat(api.putYaml("/api/actions/numbers", numbers).status()).isEqualTo(201);
    assertThat(
            api.putYaml(
                    "/api/actions/later",
                    "kind: action\nname: later\nbuiltin: {sleep: {for: 1h}}\n")
                .status())
        .isEqualTo(201);
    assertThat(
            api.putYaml(
                    "/api/workflows/wide",
                    """
                    kind: workflow
                    name: wide
                    steps:
                      - {id: gen, uses: numbers}
                      - {id: each, uses: later, needs: [gen], forEach: "${{ steps.gen.outputs.items }}"}
                    """)
                .status())
        .isEqualTo(201);
    String runId = api.post("/api/workflows/wide/trigger", Map.of()).json().get("id").asText();
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(5))
        .until(() -> planned(api, runId) > 1);
    int beforeKill = planned(api, runId);
    server.killHard();
    assertThat(beforeKill).as("the kill came while pages remained").isLessThan(SUBJECTS + 1);
    server = ServerProcess.start(dataDir, db, "--workers", "2");
    ApiClient after = server.admin();
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> planned(after, runId) == SUBJECTS + 1);
    assertThat(after.get("/api/runs/" + runId + "/tasks/each%5B" + SUBJECTS + "%5D").status())
        .isEqualTo(200);
    assertThat(after.post("/api/runs/" + runId + "/cancel", Map.of()).status()).isEqualTo(200);
  }
}
