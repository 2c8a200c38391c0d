package dev.runledger.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runledger.audit.AuditLog;
import dev.runledger.engine.run.StateChanges;
import dev.runledger.model.Ids;
import dev.runledger.model.Job;
import dev.runledger.model.Run;
import dev.runledger.store.AuditFilter;
import dev.runledger.store.Store;
import dev.runledger.store.StoredAuditEvent;
import dev.runledger.testing.Runs;
import dev.runledger.testing.StoreKind;
import dev.runledger.testing.TestServer;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the engine relies on from group commit: a unit of work that throws undoes only itself, its
 * caller gets its own exception, and the units committed in the same batch are kept; writes that
 * wait for the batch's next statement are seen by every later unit, and a batch run again after a
 * failure commits each write once; audit events are chained in the order they were inserted.
 */
abstract class GroupCommitIsolationContract {
  // Never claimable by the running node: available long after the test.
  private static final Instant NOW = Instant.parse("2100-01-01T00:00:00Z");

  private TestServer server;

  abstract StoreKind store();

  @BeforeEach
  void start() {
    server = TestServer.start(store());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void a_unit_that_throws_fails_alone_and_the_units_batched_with_it_are_committed()
      throws Exception {
    Store store = server.node().store();
    AuditLog audit = new AuditLog(Clock.systemUTC(), () -> {});
    // Hold the writer so that the next two units queue up and are committed in one batch.
    CompletableFuture<Object> holder = hold(store);
    CompletableFuture<Object> failing =
        store.write(
            tx -> {
              throw new StateConflictException("refused on purpose");
            });
    CompletableFuture<Boolean> kept =
        store.write(
            tx -> {
              audit.event("test.kept", "tester").project("default").append(tx);
              return true;
            });
    holder.get(10, TimeUnit.SECONDS);
    assertThat(kept.get(10, TimeUnit.SECONDS)).isTrue();
    assertThatThrownBy(() -> failing.get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(StateConflictException.class);
    java.util.List<dev.runledger.store.StoredAuditEvent> keptEvents =
        store.read(
            tx ->
                tx.audit()
                    .list(new AuditFilter(null, null, null, null, "test.kept", null), null, 10));
    assertThat(keptEvents).hasSize(1);
  }

  @Test
  void a_batch_run_again_after_a_failure_commits_each_deferred_write_once_and_later_units_see_it()
      throws Exception {
    Store store = server.node().store();
    String runId = Ids.run();
    AtomicInteger inserts = new AtomicInteger();
    CompletableFuture<Object> holder = hold(store);
    CompletableFuture<Object> insert =
        store.write(
            tx -> {
              inserts.incrementAndGet();
              tx.jobs()
                  .insertAll(List.of(Job.queued(Ids.job(), "default", runId, "t", NOW, false)));
              return null;
            });
    CompletableFuture<Boolean> seen = store.write(tx -> tx.jobs().forTask(runId, "t").isPresent());
    CompletableFuture<Object> failing =
        store.write(
            tx -> {
              throw new StateConflictException("refused on purpose");
            });
    holder.get(10, TimeUnit.SECONDS);
    insert.get(10, TimeUnit.SECONDS);
    assertThat(seen.get(10, TimeUnit.SECONDS)).isTrue();
    assertThatThrownBy(() -> failing.get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(StateConflictException.class);
    // The first run of the batch was rolled back; the insert ran again and is stored once.
    assertThat(inserts.get()).isEqualTo(2);
    long stored =
        store.read(
            tx ->
                tx.jobs().list("default", null, null, 1000).stream()
                    .filter(j -> j.runId().equals(runId))
                    .count());
    assertThat(stored).isEqualTo(1);
  }

  @Test
  void a_stale_run_update_fails_its_own_unit_with_a_conflict_and_the_batch_is_kept()
      throws Exception {
    Store store = server.node().store();
    StateChanges changes =
        new StateChanges(new AuditLog(Clock.systemUTC(), () -> {}), Clock.systemUTC());
    assertThat(
            server
                .admin()
                .putYaml(
                    "/api/actions/nothing", "kind: action\nname: nothing\nbuiltin: {noop: {}}\n")
                .status())
        .isIn(200, 201);
    String id =
        server.admin().post("/api/actions/nothing/trigger", Map.of()).json().get("id").asText();
    Runs.awaitTerminal(server.admin(), id);
    Run read = store.read(tx -> tx.runs().find(id)).orElseThrow();
    CompletableFuture<Object> holder = hold(store);
    CompletableFuture<Run> first =
        store.write(tx -> changes.save(tx, read.with(c -> c.subjectsMatched = 7)));
    CompletableFuture<Run> stale =
        store.write(tx -> changes.save(tx, read.with(c -> c.subjectsMatched = 8)));
    holder.get(10, TimeUnit.SECONDS);
    assertThat(first.get(10, TimeUnit.SECONDS).version()).isEqualTo(read.version() + 1);
    assertThatThrownBy(() -> stale.get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(ConcurrentChangeException.class);
    Run stored = store.read(tx -> tx.runs().find(id)).orElseThrow();
    assertThat(stored.subjectsMatched()).isEqualTo(7);
    assertThat(stored.version()).isEqualTo(read.version() + 1);
  }

  @Test
  void events_inserted_while_older_ones_wait_for_the_sealer_are_chained_after_them()
      throws Exception {
    Store store = server.node().store();
    AuditLog audit = new AuditLog(Clock.systemUTC(), () -> {});
    // An audit read inside a unit inserts its pending events unchained; the next batch's events
    // wait for the sealer too, which chains all of them in insertion order.
    store.writeAndWait(
        tx -> {
          audit.event("test.first", "tester").project("default").append(tx);
          tx.audit().countUnsealed();
          return null;
        });
    store.writeAndWait(
        tx -> {
          audit.event("test.second", "tester").project("default").append(tx);
          return null;
        });
    server.node().sealer().sealNow();
    long unsealed = store.read(tx -> tx.audit().countUnsealed());
    assertThat(unsealed).isZero();
    List<StoredAuditEvent> events =
        store.read(
            tx -> tx.audit().list(new AuditFilter(null, null, null, null, null, null), null, 1000));
    long firstSeq = seqOf(events, "test.first");
    long secondSeq = seqOf(events, "test.second");
    assertThat(secondSeq).isGreaterThan(firstSeq);
    for (StoredAuditEvent a : events) {
      for (StoredAuditEvent b : events) {
        if (a.position() < b.position()) {
          assertThat(a.event().seq()).isLessThan(b.event().seq());
        }
      }
    }
    assertThat(server.admin().get("/api/audit/verify").json().get("ok").asBoolean()).isTrue();
  }

  private static long seqOf(List<StoredAuditEvent> events, String type) {
    return events.stream()
        .filter(e -> e.event().type().equals(type))
        .findFirst()
        .orElseThrow()
        .event()
        .seq();
  }

  /**
   * Holds the writer so that the units submitted next queue up and are committed in one batch:
   * returns once the holding unit runs (units submitted before it started could share its batch).
   */
  private static CompletableFuture<Object> hold(Store store) throws InterruptedException {
    CountDownLatch running = new CountDownLatch(1);
    CompletableFuture<Object> holder =
        store.write(
            tx -> {
              running.countDown();
              sleep(300);
              return null;
            });
    assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
    return holder;
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
