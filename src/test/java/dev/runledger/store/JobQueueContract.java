package dev.runledger.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runledger.model.Ids;
import dev.runledger.model.Job;
import dev.runledger.model.JobState;
import dev.runledger.testing.Databases;
import dev.runledger.testing.StoreKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The queue and group commit, against each store. */
abstract class JobQueueContract {
  private static final Instant T0 = Instant.parse("2026-11-21T07:00:00.123456Z");

  private Store store;
  private Store second;
  private String db;

  abstract StoreKind kind();

  @BeforeEach
  void open() throws Exception {
    Path dir = Files.createTempDirectory("runledger-store");
    db = kind() == StoreKind.POSTGRESQL ? Databases.freshPostgres() : null;
    store = new Store(Database.open(db, dir));
    if (db != null) {
      second = new Store(Database.open(db, dir));
    }
  }

  @AfterEach
  void close() {
    store.close();
    if (second != null) {
      second.close();
    }
    if (db != null) {
      Databases.drop(db);
    }
  }

  private List<Job> enqueue(int n, Instant availableAt) {
    List<Job> jobs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      jobs.add(
          new Job(
              Ids.job(),
              "default",
              Ids.run(),
              "task",
              JobState.QUEUED,
              0,
              availableAt,
              0,
              null,
              null,
              null,
              null,
              null,
              null,
              false,
              T0,
              T0,
              false));
    }
    store.writeAndWait(
        tx -> {
          tx.jobs().insertAll(jobs);
          return null;
        });
    return jobs;
  }

  @Test
  void claim_leases_available_jobs_in_order_and_starts_a_new_attempt() {
    enqueue(3, T0);
    enqueue(1, T0.plusSeconds(60));
    List<Job> claimed =
        store.writeAndWait(
            tx -> tx.jobs().claim("node-a", 10, T0.plusSeconds(1), T0.plusSeconds(31)));
    assertThat(claimed).hasSize(3);
    assertThat(claimed)
        .allSatisfy(
            j -> {
              assertThat(j.state()).isEqualTo(JobState.LEASED);
              assertThat(j.leaseOwner()).isEqualTo("node-a");
              assertThat(j.attempt()).isEqualTo(1);
              assertThat(j.leaseExpiresAt()).isEqualTo(T0.plusSeconds(31));
            });
    List<Job> none =
        store.writeAndWait(
            tx -> tx.jobs().claim("node-b", 10, T0.plusSeconds(2), T0.plusSeconds(32)));
    assertThat(none).isEmpty();
  }

  @Test
  void timestamps_keep_microseconds() {
    Job job = enqueue(1, T0).get(0);
    Job read = store.read(tx -> tx.jobs().forTask(job.runId(), "task")).orElseThrow();
    assertThat(read.availableAt()).isEqualTo(T0);
    assertThat(read.createdAt().truncatedTo(ChronoUnit.MICROS)).isEqualTo(T0);
  }

  @Test
  void the_fence_holds_only_for_the_current_owner_and_attempt() {
    Job job = enqueue(1, T0).get(0);
    store.writeAndWait(tx -> tx.jobs().claim("node-a", 1, T0, T0.plusSeconds(1)));
    store.writeAndWait(
        tx -> {
          tx.jobs().requeue(job.id(), T0, null, T0.plusSeconds(2));
          return null;
        });
    Job reclaimed =
        store
            .writeAndWait(tx -> tx.jobs().claim("node-b", 1, T0.plusSeconds(3), T0.plusSeconds(33)))
            .get(0);
    assertThat(reclaimed.attempt()).isEqualTo(2);
    boolean oldHolder = store.read(tx -> tx.jobs().holds(job.id(), "node-a", 1));
    boolean newHolder = store.read(tx -> tx.jobs().holds(job.id(), "node-b", 2));
    assertThat(oldHolder).isFalse();
    assertThat(newHolder).isTrue();
  }

  @Test
  void heartbeats_extend_leases_and_report_abort_requests() {
    Job job = enqueue(1, T0).get(0);
    store.writeAndWait(tx -> tx.jobs().claim("node-a", 1, T0, T0.plusSeconds(5)));
    store.writeAndWait(tx -> tx.jobs().requestAbort(job.runId(), T0.plusSeconds(1)));
    List<String> aborted =
        store.writeAndWait(
            tx ->
                tx.jobs()
                    .heartbeat("node-a", List.of(job.id()), T0.plusSeconds(2), T0.plusSeconds(60)));
    assertThat(aborted).containsExactly(job.id());
    List<Job> early = store.read(tx -> tx.jobs().expired(T0.plusSeconds(30), 10));
    List<Job> late = store.read(tx -> tx.jobs().expired(T0.plusSeconds(61), 10));
    assertThat(early).isEmpty();
    assertThat(late).hasSize(1);
  }

  @Test
  void a_failing_unit_in_a_group_commit_undoes_only_itself() {
    Job job = enqueue(1, T0).get(0);
    CompletableFuture<Object> bad =
        store.write(
            tx -> {
              tx.jobs().finish(job.id(), T0);
              throw new IllegalStateException("boom");
            });
    CompletableFuture<Object> good =
        store.write(
            tx -> {
              tx.jobs()
                  .insertAll(
                      List.of(Job.queued(Ids.job(), "default", "run_other", "task", T0, false)));
              return null;
            });
    assertThatThrownBy(bad::join).hasRootCauseMessage("boom");
    good.join();
    assertThat(store.read(tx -> tx.jobs().forTask(job.runId(), "task")).orElseThrow().state())
        .isEqualTo(JobState.QUEUED);
    java.util.Optional<Job> other = store.read(tx -> tx.jobs().forTask("run_other", "task"));
    assertThat(other).isPresent();
  }

  @Test
  void a_unique_key_violation_becomes_a_conflict_and_the_rest_commits() {
    Job job = enqueue(1, T0).get(0);
    Job twin = Job.queued(Ids.job(), "default", job.runId(), "task", T0, false);
    assertThatThrownBy(
            () ->
                store.writeAndWait(
                    tx -> {
                      tx.jobs().insertAll(List.of(twin));
                      return null;
                    }))
        .isInstanceOf(ConflictException.class);
  }

  @Test
  void concurrent_claimers_never_lease_the_same_job() throws Exception {
    enqueue(200, T0);
    Store other = second != null ? second : store;
    Set<String> seen = new HashSet<>();
    List<CompletableFuture<List<Job>>> claims = new ArrayList<>();
    IntStream.range(0, 20)
        .forEach(
            i -> {
              Store s = i % 2 == 0 ? store : other;
              claims.add(
                  CompletableFuture.supplyAsync(
                      () ->
                          s.writeAndWait(
                              tx -> tx.jobs().claim("node-" + i, 15, T0, T0.plusSeconds(30)))));
            });
    int total = 0;
    for (CompletableFuture<List<Job>> c : claims) {
      for (Job j : c.get()) {
        assertThat(seen.add(j.id())).as("job %s claimed twice", j.id()).isTrue();
        total++;
      }
    }
    assertThat(total).isEqualTo(200);
  }
}
