package dev.runledger.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runledger.app.Runledger;
import dev.runledger.app.ServerConfig;
import dev.runledger.engine.run.TriggerRequest;
import dev.runledger.model.Principal;
import dev.runledger.model.Role;
import dev.runledger.model.Run;
import dev.runledger.testing.ApiClient;
import dev.runledger.testing.StoreKind;
import dev.runledger.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Test;

/**
 * Two nodes on one PostgreSQL database admit runs of a workflow with a concurrency limit one at a
 * time between them: when both start a run at the same moment, one of the two waits.
 */
class PostgresTwoNodesConcurrencyLimitTest {
  private static final Principal OPERATOR = new Principal("tester", Role.OPERATOR, null);

  @Test
  void runs_started_at_once_on_two_nodes_respect_the_limit() throws Exception {
    Path secondDir = Files.createTempDirectory("runledger-second");
    try (TestServer first = TestServer.start(StoreKind.POSTGRESQL);
        Runledger second =
            Runledger.start(
                ServerConfig.forTests(secondDir)
                    .withDb(first.db())
                    .withAdminToken(TestServer.ADMIN_TOKEN)
                    .withLease(Duration.ofSeconds(5)),
                Clock.systemUTC())) {
      ApiClient admin = first.admin();
      assertThat(
              admin
                  .putYaml(
                      "/api/actions/nap", "kind: action\nname: nap\nbuiltin: {sleep: {for: 30s}}\n")
                  .status())
          .isEqualTo(201);
      for (int round = 0; round < 12; round++) {
        String workflow = "serial-" + round;
        assertThat(
                admin
                    .putYaml(
                        "/api/workflows/" + workflow,
                        "kind: workflow\nname: "
                            + workflow
                            + "\nconcurrency: {limit: 1}\nsteps:\n  - {id: a, uses: nap}\n")
                    .status())
            .isEqualTo(201);
        CyclicBarrier together = new CyclicBarrier(2);
        CompletableFuture<Run> onFirst =
            CompletableFuture.supplyAsync(() -> start(together, first.node(), workflow));
        CompletableFuture<Run> onSecond =
            CompletableFuture.supplyAsync(() -> start(together, second, workflow));
        List<Run> runs = List.of(onFirst.get(), onSecond.get());
        long admitted = runs.stream().filter(r -> !r.waiting()).count();
        assertThat(admitted).as("runs admitted at once in round " + round).isEqualTo(1);
        for (Run r : runs) {
          first.node().runs().cancel("default", r.id(), OPERATOR, "done with it", true);
        }
      }
    }
  }

  private static Run start(CyclicBarrier together, Runledger node, String workflow) {
    try {
      together.await();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    TriggerRequest request =
        new TriggerRequest(
            "default", workflow, dev.runledger.model.Json.object(), null, OPERATOR, "test", null);
    Run run = node.runs().triggerWorkflow(request).run();
    return node.store().read(tx -> tx.runs().find(run.id())).orElseThrow();
  }
}
