package dev.runledger.engine.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runledger.app.EvidenceConfig;
import dev.runledger.store.BlobRepository;
import dev.runledger.testing.ApiClient;
import dev.runledger.testing.Runs;
import dev.runledger.testing.StoreKind;
import dev.runledger.testing.TestServer;
import dev.runledger.testing.TickingClock;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
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
    String[] report = runReport();
    String runId = report[0];
    String sha = report[1];
    String logs = "/api/runs/" + runId + "/tasks/report/logs";
    assertThat(api.get(logs).text()).contains("writing the report");
    String file = "/api/files/" + sha.substring(7);
    assertThat(api.get(file).status()).isEqualTo(200);
    long eventsBefore = api.get("/api/audit/verify").json().get("events").asLong();
    String run = "/api/runs/" + runId;
    assertThat(api.get(run).json().get("logsPrunedAt").isNull()).isTrue();
    assertThat(api.get(run).json().get("artifactsPrunedAt").isNull()).isTrue();

    RetentionJob retention = server.node().retention();
    clock.advance(Duration.ofDays(10));
    assertThat(retention.pruneNow()).isEqualTo(new RetentionJob.Pruned(0, 0, 0, 0));

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
    assertThat(retention.pruneNow()).isEqualTo(new RetentionJob.Pruned(0, 0, 0, 0));
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

  /** Runs the report action once and answers its run id and the sha256 of report.txt. */
  private String[] runReport() {
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
    assertThat(put.status()).as(put.text()).isIn(200, 201);
    ApiClient.Response r = api.post("/api/actions/report/trigger", Map.of());
    String runId = r.json().get("id").asText();
    assertThat(Runs.awaitTerminal(api, runId).get("status").asText()).isEqualTo("completed");
    String sha =
        api.get("/api/runs/" + runId + "/files").json().get("items").get(0).get("sha256").asText();
    return new String[] {runId, sha};
  }

  private Optional<BlobRepository.BlobInfo> blob(String sha) {
    return server.node().store().read(tx -> tx.blobs().find(sha));
  }

  private String bytesOf(String sha) throws Exception {
    Optional<InputStream> in = server.node().blobs().open(sha);
    if (in.isEmpty()) {
      return null;
    }
    try (InputStream s = in.get()) {
      return new String(s.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** Stores content the way ArtifactService does for an attempt's outputs, before its outcome. */
  private String storeContent(String text) throws Exception {
    Path file = Files.createTempFile("content", ".txt");
    Files.writeString(file, text);
    String sha =
        "sha256:"
            + HexFormat.of()
                .formatHex(
                    MessageDigest.getInstance("SHA-256")
                        .digest(text.getBytes(StandardCharsets.UTF_8)));
    server.node().blobs().put(sha, Files.size(file), file);
    Files.delete(file);
    return sha;
  }

  @Test
  void a_content_stored_again_after_the_prune_decision_keeps_its_bytes() throws Exception {
    String sha = runReport()[1];
    clock.advance(Duration.ofDays(91));
    RetentionJob retention = server.node().retention();
    Instant cutoff = clock.instant().minus(Duration.ofDays(90));
    Instant storedBefore = clock.instant().minus(RetentionJob.STORE_GRACE);
    // Retention has decided: the content is due ...
    java.util.List<String> due =
        server.node().store().read(tx -> tx.blobs().prunable(cutoff, storedBefore, 10));
    assertThat(due).containsExactly(sha);

    // ... when a new run stores identical output (its outcome not recorded yet).
    assertThat(storeContent("retained until pruned")).isEqualTo(sha);

    assertThat(retention.pruneBlob(sha, cutoff, storedBefore)).isFalse();
    assertThat(bytesOf(sha)).isEqualTo("retained until pruned");
    assertThat(blob(sha).orElseThrow().prunedAt()).isNull();
    assertThat(api.get("/api/files/" + sha.substring(7)).status()).isEqualTo(200);

    // Had that run's outcome been lost, the content is pruned once the grace period is over.
    clock.advance(RetentionJob.STORE_GRACE.plusMinutes(1));
    assertThat(retention.pruneNow().blobs()).isEqualTo(1);
    assertThat(bytesOf(sha)).isNull();
    assertThat(blob(sha).orElseThrow().prunedAt()).isNotNull();
  }

  @Test
  void a_content_pruned_before_a_new_run_stores_it_is_written_again_and_present() throws Exception {
    String[] first = runReport();
    String sha = first[1];
    clock.advance(Duration.ofDays(91));
    assertThat(server.node().retention().pruneNow().blobs()).isEqualTo(1);
    assertThat(bytesOf(sha)).isNull();
    assertThat(api.get("/api/files/" + sha.substring(7)).status()).isEqualTo(410);

    String[] second = runReport();

    assertThat(second[1]).isEqualTo(sha);
    assertThat(bytesOf(sha)).isEqualTo("retained until pruned");
    assertThat(blob(sha).orElseThrow().prunedAt()).isNull();
    assertThat(api.get("/api/files/" + sha.substring(7)).text()).isEqualTo("retained until pruned");
    // Recent: the next pass leaves it alone although the first run ended long ago.
    assertThat(server.node().retention().pruneNow().blobs()).isZero();
    assertThat(bytesOf(sha)).isEqualTo("retained until pruned");
  }

  @Test
  void bytes_no_artifact_refers_to_are_swept_after_the_grace_period() throws Exception {
    String kept = runReport()[1];
    // Bytes stored for an outcome that was then discarded: a blob with no artifact.
    String orphan = storeContent("an outcome that never landed");
    assertThat(blob(orphan)).isPresent();
    RetentionJob retention = server.node().retention();

    clock.advance(RetentionJob.STORE_GRACE.minusMinutes(1));
    assertThat(retention.pruneNow().orphanBlobs()).isZero();
    assertThat(bytesOf(orphan)).isEqualTo("an outcome that never landed");

    clock.advance(Duration.ofMinutes(2));
    assertThat(retention.pruneNow()).isEqualTo(new RetentionJob.Pruned(0, 0, 0, 1));
    assertThat(blob(orphan)).isEmpty();
    assertThat(bytesOf(orphan)).isNull();
    if (store() == StoreKind.SQLITE) {
      assertThat(
              server
                  .dataDir()
                  .resolve("blobs/sha256/" + orphan.substring(7, 9) + "/" + orphan.substring(9)))
          .doesNotExist();
    }
    // The run's own content has an artifact: kept.
    assertThat(bytesOf(kept)).isEqualTo("retained until pruned");
    assertThat(retention.pruneNow().orphanBlobs()).isZero();
  }
}
