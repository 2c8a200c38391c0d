package dev.runledger.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runledger.app.EvidenceConfig;
import dev.runledger.testing.ApiClient;
import dev.runledger.testing.Runs;
import dev.runledger.testing.StoreKind;
import dev.runledger.testing.TestServer;
import dev.runledger.testing.TickingClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Retention deletes logs and artifact bytes of finished runs and keeps every record. */
abstract class RetentionContract {
  private final TickingClock clock = new TickingClock();
  private TestServer server;
  private ApiClient api;

  abstract StoreKind store();

  @BeforeEach
  void start() {
    server =
        TestServer.start(
            store(),
            c ->
                c.withEvidence(
                    EvidenceConfig.DEFAULTS.withRetention(
                        Duration.ofDays(30), Duration.ofDays(90))),
            clock);
    api = server.admin();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void logs_and_blobs_go_after_their_periods_and_the_records_stay() {
    ApiClient.Response put =
        api.putYaml(
            "/api/actions/report",
            """
            kind: action
            name: report
            command:
              script: |
                echo "writing the report"
                printf 'retained until pruned' > report.txt
              outputs: {files: [report.txt]}
            """);
    assertThat(put.status()).as(put.text()).isEqualTo(201);
    ApiClient.Response r = api.post("/api/actions/report/trigger", Map.of());
    String runId = r.json().get("id").asText();
    assertThat(Runs.awaitTerminal(api, runId).get("status").asText()).isEqualTo("completed");
    String logs = "/api/runs/" + runId + "/tasks/report/logs";
    assertThat(api.get(logs).text()).contains("writing the report");
    String sha =
        api.get("/api/runs/" + runId + "/files").json().get("items").get(0).get("sha256").asText();
    String file = "/api/files/" + sha.substring(7);
    assertThat(api.get(file).status()).isEqualTo(200);
    long eventsBefore = api.get("/api/audit/verify").json().get("events").asLong();
    String run = "/api/runs/" + runId;
    assertThat(api.get(run).json().get("logsPrunedAt").isNull()).isTrue();
    assertThat(api.get(run).json().get("artifactsPrunedAt").isNull()).isTrue();

    RetentionJob retention = server.node().retention();
    clock.advance(Duration.ofDays(10));
    assertThat(retention.pruneNow()).isEqualTo(new RetentionJob.Pruned(0, 0, 0));

    clock.advance(Duration.ofDays(21));
    RetentionJob.Pruned first = retention.pruneNow();
    assertThat(first.runsWithLogs()).isEqualTo(1);
    assertThat(first.logLines()).isPositive();
    assertThat(first.blobs()).isZero();
    assertThat(api.get(logs).text()).doesNotContain("writing the report");
    assertThat(api.get(file).status()).isEqualTo(200);
    String logsPrunedAt = api.get(run).json().get("logsPrunedAt").asText();
    assertThat(java.time.Instant.parse(logsPrunedAt))
        .isBetween(clock.instant().minusSeconds(60), clock.instant());
    assertThat(api.get(run).json().get("artifactsPrunedAt").isNull()).isTrue();

    clock.advance(Duration.ofDays(60));
    assertThat(retention.pruneNow().blobs()).isEqualTo(1);
    ApiClient.Response gone = api.get(file);
    assertThat(gone.status()).isEqualTo(410);
    if (store() == StoreKind.SQLITE) {
      Path blob =
          server.dataDir().resolve("blobs/sha256/" + sha.substring(7, 9) + "/" + sha.substring(9));
      assertThat(Files.exists(blob)).isFalse();
    }
    assertThat(retention.pruneNow()).isEqualTo(new RetentionJob.Pruned(0, 0, 0));
    JsonNode shown = api.get(run).json();
    assertThat(shown.get("logsPrunedAt").asText()).isEqualTo(logsPrunedAt);
    assertThat(java.time.Instant.parse(shown.get("artifactsPrunedAt").asText()))
        .isBetween(clock.instant().minusSeconds(60), clock.instant());
    JsonNode listed = api.get("/api/runs?project=default").json().get("items").get(0);
    assertThat(listed.get("artifactsPrunedAt").asText())
        .isEqualTo(shown.get("artifactsPrunedAt").asText());

    // The records stay, marked pruned; the task keeps its evidence; no audit event is lost.
    JsonNode files = api.get("/api/runs/" + runId + "/files").json().get("items");
    assertThat(files).hasSize(1);
    assertThat(files.get(0).get("sha256").asText()).isEqualTo(sha);
    assertThat(files.get(0).get("pruned").asBoolean()).isTrue();
    JsonNode task = api.get("/api/runs/" + runId + "/tasks/report").json();
    assertThat(task.get("status").asText()).isEqualTo("succeeded");
    assertThat(task.get("evidence").get("outputs").get(0).get("sha256").asText()).isEqualTo(sha);
    assertThat(task.get("evidence").get("stdoutBytes").asLong()).isPositive();
    assertThat(task.get("evidence").get("logsPrunedAt").isNull()).isFalse();
    JsonNode verify = api.get("/api/audit/verify").json();
    assertThat(verify.get("ok").asBoolean()).isTrue();
    assertThat(verify.get("events").asLong()).isEqualTo(eventsBefore + 2);
    JsonNode timeline = api.get("/api/runs/" + runId + "/audit").json().get("items");
    assertThat(timeline.findValuesAsText("type")).contains("run.created", "run.logs-pruned");
    for (JsonNode e : timeline) {
      assertThat(e.get("actor").asText()).isNotBlank();
      assertThat(e.get("details").isObject()).isTrue();
    }
  }
}
