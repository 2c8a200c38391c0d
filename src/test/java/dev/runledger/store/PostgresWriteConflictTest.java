package dev.runledger.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runledger.model.Ids;
import dev.runledger.model.Job;
import dev.runledger.testing.Databases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Two nodes' writers on one PostgreSQL database that lock the same rows in opposite orders: the
 * database breaks the deadlock by failing one transaction, and its writer runs the batch again
 * instead of failing the work (a cancel on one node and a worker on the other did exactly this).
 */
class PostgresWriteConflictTest {
  private static final Instant T0 = Instant.parse("2026-12-04T07:00:00Z");

  @Test
  void a_batch_that_loses_a_deadlock_runs_again_and_both_commit() throws Exception {
    String db = Databases.freshPostgres();
    Path dir = Files.createTempDirectory("runledger-conflict");
    try (Store first = new Store(Database.open(db, dir));
        Store second = new Store(Database.open(db, dir))) {
      Job one = Job.queued(Ids.job(), "default", "run_one", "task", T0, false);
      Job two = Job.queued(Ids.job(), "default", "run_two", "task", T0, false);
      first.writeAndWait(
          tx -> {
            tx.jobs().insertAll(List.of(one, two));
            return null;
          });
      CountDownLatch firstHolds = new CountDownLatch(1);
      CountDownLatch secondHolds = new CountDownLatch(1);
      AtomicInteger runs = new AtomicInteger();
      CompletableFuture<String> a =
          first.write(tx -> lockBoth(tx, one, two, firstHolds, secondHolds, runs, "a"));
      CompletableFuture<String> b =
          second.write(tx -> lockBoth(tx, two, one, secondHolds, firstHolds, runs, "b"));

      assertThat(a.get(30, TimeUnit.SECONDS)).isEqualTo("a");
      assertThat(b.get(30, TimeUnit.SECONDS)).isEqualTo("b");
      assertThat(runs.get()).as("units run, one of them twice").isEqualTo(3);
      Instant later = T0.plusSeconds(60);
      assertThat(first.read(tx -> tx.jobs().forTask("run_one", "task")).orElseThrow().availableAt())
          .isEqualTo(later);
      assertThat(first.read(tx -> tx.jobs().forTask("run_two", "task")).orElseThrow().availableAt())
          .isEqualTo(later);
    } finally {
      Databases.drop(db);
    }
  }

  /** Updates {@code mine}, lets the other writer take its row, then updates {@code theirs}. */
  private static String lockBoth(
      Tx tx,
      Job mine,
      Job theirs,
      CountDownLatch iHold,
      CountDownLatch theyHold,
      AtomicInteger runs,
      String result) {
    runs.incrementAndGet();
    tx.jobs().requeue(mine.id(), T0.plusSeconds(60), null, T0);
    iHold.countDown();
    try {
      theyHold.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    tx.jobs().requeue(theirs.id(), T0.plusSeconds(60), null, T0);
    return result;
  }
}
