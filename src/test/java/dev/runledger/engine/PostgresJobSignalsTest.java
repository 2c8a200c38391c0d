package dev.runledger.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runledger.app.Runledger;
import dev.runledger.app.ServerConfig;
import dev.runledger.testing.ApiClient;
import dev.runledger.testing.Runs;
import dev.runledger.testing.StoreKind;
import dev.runledger.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Nodes on one PostgreSQL database hear of each other's jobs: an idle node whose poll is far off
 * claims a job another node queued as soon as it is committed (LISTEN/NOTIFY), not at its poll.
 */
class PostgresJobSignalsTest {
  private static final Duration FAR_POLL = Duration.ofSeconds(60);

  @Test
  void an_idle_node_claims_a_job_another_node_queued_long_before_its_next_poll() throws Exception {
    Path secondDir = Files.createTempDirectory("runledger-second");
    // The first node has one worker, kept busy, so that it cannot take the job itself.
    try (TestServer first =
        TestServer.start(
            StoreKind.POSTGRESQL,
            c ->
                c.withWorkers(1)
                    .withIsolation("none", null)
                    .with(ch -> ch.idlePoll = FAR_POLL)
                    .with(ch -> ch.nodeName = "busy"))) {
      ApiClient admin = first.admin();
      admin.putYaml(
          "/api/actions/hold", "kind: action\nname: hold\ncommand:\n  run: [sleep, '30']\n");
      admin.putYaml("/api/actions/quick", "kind: action\nname: quick\ncommand:\n  run: ['true']\n");
      String held = admin.post("/api/actions/hold/trigger", Map.of()).json().get("id").asText();
      Runs.awaitTask(admin, held, "hold", "running");
      try (Runledger second =
          Runledger.start(
              ServerConfig.forTests(secondDir)
                  .withDb(first.db())
                  .withAdminToken(TestServer.ADMIN_TOKEN)
                  .withLease(Duration.ofSeconds(5))
                  .withIsolation("none", null)
                  .with(ch -> ch.idlePoll = FAR_POLL)
                  .with(ch -> ch.nodeName = "idle"),
              Clock.systemUTC())) {
        // Past the second node's first look at the queue, which it takes when it starts.
        Thread.sleep(1500);

        long before = System.nanoTime();
        String quick = admin.post("/api/actions/quick/trigger", Map.of()).json().get("id").asText();
        JsonNode run = Runs.awaitTerminal(admin, quick, Duration.ofSeconds(20));
        Duration took = Duration.ofNanos(System.nanoTime() - before);

        assertThat(run.get("status").asText()).isEqualTo("completed");
        JsonNode task = admin.get("/api/runs/" + quick + "/tasks/quick").json();
        assertThat(task.get("attempts").get(0).get("host").asText()).isEqualTo("idle");
        assertThat(took)
            .as("claimed long before the idle node's next poll")
            .isLessThan(FAR_POLL.dividedBy(4));
        admin.post("/api/runs/" + held + "/abort", Map.of());
      }
    }
  }
}
