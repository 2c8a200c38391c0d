package dev.runledger.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runledger.app.Runledger;
import dev.runledger.app.ServerConfig;
import dev.runledger.engine.run.TriggerRequest;
import dev.runledger.engine.trigger.Scheduler;
import dev.runledger.testing.ApiClient;
import dev.runledger.testing.StoreKind;
import dev.runledger.testing.TestServer;
import dev.runledger.testing.TickingClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Test;

/** Two nodes on one PostgreSQL database fire each schedule fire once between them. */
class PostgresTwoSchedulersTest {
  @Test
  void two_engines_on_one_postgresql_fire_each_fire_time_once() throws Exception {
    TickingClock clock = new TickingClock();
    clock.advance(Duration.between(clock.instant(), Instant.parse("2030-01-07T05:59:30Z")));
    Path secondDir = Files.createTempDirectory("runledger-second");
    try (TestServer first = TestServer.start(StoreKind.POSTGRESQL, c -> c, clock);
        Runledger second =
            Runledger.start(
                ServerConfig.forTests(secondDir)
                    .withDb(first.db())
                    .withAdminToken(TestServer.ADMIN_TOKEN)
                    .withLease(Duration.ofSeconds(5)),
                clock)) {
      ApiClient admin = first.admin();
      assertThat(
              admin
                  .putYaml("/api/actions/ok", "kind: action\nname: ok\nbuiltin: {noop: {}}\n")
                  .status())
          .isEqualTo(201);
      assertThat(
              admin
                  .putYaml(
                      "/api/workflows/every-minute",
                      """
                      kind: workflow
                      name: every-minute
                      on:
                        schedule:
                          - {cron: "* * * * *", timezone: Europe/Oslo}
                      steps:
                        - {id: one, uses: ok}
                      """)
                  .status())
          .isEqualTo(201);
      Scheduler a = first.node().scheduler();
      Scheduler b = second.scheduler();
      a.tick();
      b.tick();

      int started = 0;
      for (int minute = 0; minute < 5; minute++) {
        clock.advance(Duration.ofMinutes(1));
        CyclicBarrier together = new CyclicBarrier(2);
        CompletableFuture<Integer> onA =
            CompletableFuture.supplyAsync(() -> tickAfter(together, a));
        CompletableFuture<Integer> onB =
            CompletableFuture.supplyAsync(() -> tickAfter(together, b));
        started += onA.get() + onB.get();
      }

      List<String> fireTimes = new ArrayList<>();
      for (JsonNode run :
          admin.get("/api/runs?workflow=every-minute&limit=500").json().get("items")) {
        fireTimes.add(run.get("trigger").get("schedule").get("fireTime").asText());
      }
      // the background ticks of both nodes may have started some of them: what counts is that
      // every fire time has exactly one run
      assertThat(fireTimes).doesNotHaveDuplicates();
      assertThat(fireTimes)
          .containsExactlyInAnyOrder(
              "2030-01-07T06:00:00.000000Z",
              "2030-01-07T06:01:00.000000Z",
              "2030-01-07T06:02:00.000000Z",
              "2030-01-07T06:03:00.000000Z",
              "2030-01-07T06:04:00.000000Z");
      assertThat(started).isLessThanOrEqualTo(5);

      // Both nodes' sealers ran over one chain: one at a time (advisory lock), and it verifies.
      for (int i = 0; i < 20; i++) {
        second
            .runs()
            .triggerAction(
                new TriggerRequest(
                    "default",
                    "ok",
                    null,
                    null,
                    new dev.runledger.model.Principal(
                        "admin", dev.runledger.model.Role.ADMIN, null),
                    "api",
                    null));
        admin.post("/api/actions/ok/trigger", java.util.Map.of());
      }
      CompletableFuture<Integer> sealA =
          CompletableFuture.supplyAsync(first.node().sealer()::sealNow);
      CompletableFuture<Integer> sealB = CompletableFuture.supplyAsync(second.sealer()::sealNow);
      sealA.get();
      sealB.get();
      JsonNode verify = admin.get("/api/audit/verify").json();
      assertThat(verify.get("ok").asBoolean()).as(verify.toString()).isTrue();
      assertThat(second.verifier().verify().ok()).isTrue();
    }
  }

  private static int tickAfter(CyclicBarrier together, Scheduler scheduler) {
    try {
      together.await();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return scheduler.tick();
  }
}
