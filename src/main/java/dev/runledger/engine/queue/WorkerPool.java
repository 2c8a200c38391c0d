package dev.runledger.engine.queue;

import dev.runledger.engine.RunLogContext;
import dev.runledger.engine.catalog.DefinitionService;
import dev.runledger.engine.run.InlineBuiltins;
import dev.runledger.engine.run.RunService;
import dev.runledger.executor.AbortSignal;
import dev.runledger.model.ActionDefinition;
import dev.runledger.model.Attempt;
import dev.runledger.model.ClaimedAttempt;
import dev.runledger.model.Run;
import dev.runledger.store.LogLine;
import dev.runledger.store.Store;
import dev.runledger.store.Tx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's workers: a dispatcher thread claims jobs in batches when workers are free, worker
 * threads run the attempts, a heartbeat extends the leases (and learns of aborts), and a flusher
 * writes output lines and progress while attempts run.
 *
 * <p>A worker is busy while its attempt executes; it is free again as soon as the attempt's outcome
 * is handed to the store, while the outcome waits for its group commit (the lease stays held and
 * heartbeated until then, up to {@link #MAX_UNRECORDED_PER_WORKER} per worker). The dispatcher
 * claims only for free workers: a claimed task is running, so claiming ahead would hold leases back
 * from other nodes and keep a cancel from skipping tasks that in truth had not started.
 */
public final class WorkerPool implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerPool.class);

  private final Store store;
  private final JobClaimer claimer;
  private final AttemptRunner runner;
  private final OutcomeRecorder recorder;
  private final DefinitionService definitions;
  private final Clock clock;
  private final String owner;
  private final int workers;
  private final Duration lease;
  private final Duration poll;
  private final ExecutorService pool;
  private final ScheduledExecutorService timers;
  private final Semaphore wake = new Semaphore(0);
  static final int MAX_UNRECORDED_PER_WORKER = 16;

  /** The most inline jobs one claim runs (they start and end in the claim's transaction). */
  static final int INLINE_CLAIM = 256;

  private final Map<String, InFlight> inFlight = new ConcurrentHashMap<>();
  // Attempts handed to the worker threads and not yet executed (queued or executing).
  private final AtomicInteger busy = new AtomicInteger();
  private final Thread dispatcher;
  private volatile boolean claiming = true;

  private static final class InFlight {
    final ClaimedAttempt claimed;
    final AbortSignal abort;
    final AttemptRunner.Prepared prepared;

    InFlight(ClaimedAttempt claimed, AbortSignal abort, AttemptRunner.Prepared prepared) {
      this.claimed = claimed;
      this.abort = abort;
      this.prepared = prepared;
    }

    ClaimedAttempt claimed() {
      return claimed;
    }

    AbortSignal abort() {
      return abort;
    }

    AttemptRunner.Prepared prepared() {
      return prepared;
    }
  }

  public WorkerPool(
      Store store,
      JobClaimer claimer,
      AttemptRunner runner,
      OutcomeRecorder recorder,
      DefinitionService definitions,
      Clock clock,
      String owner,
      int workers,
      Duration lease,
      Duration poll) {
    this.store = store;
    this.claimer = claimer;
    this.runner = runner;
    this.recorder = recorder;
    this.definitions = definitions;
    this.clock = clock;
    this.owner = owner;
    this.workers = workers;
    this.lease = lease;
    this.poll = poll;
    this.pool = Executors.newFixedThreadPool(workers, named("runledger-worker"));
    this.timers = Executors.newScheduledThreadPool(1, named("runledger-heartbeat"));
    this.dispatcher = new Thread(this::dispatch, "runledger-dispatcher");
    this.dispatcher.setDaemon(true);
  }

  public void start() {
    dispatcher.start();
    long beat = Math.max(100, lease.toMillis() / 3);
    timers.scheduleWithFixedDelay(this::heartbeat, beat, beat, TimeUnit.MILLISECONDS);
    timers.scheduleWithFixedDelay(this::flushAll, 250, 250, TimeUnit.MILLISECONDS);
  }

  /** Signals that jobs may be available. */
  public void wake() {
    if (wake.availablePermits() == 0) {
      wake.release();
    }
  }

  public String owner() {
    return owner;
  }

  /** Attempts claimed on this node whose outcome is not recorded yet. */
  public int inFlight() {
    return inFlight.size();
  }

  /** Terminates this node's in-flight attempts of a run. */
  public void abortRun(String runId, String cause) {
    for (InFlight f : inFlight.values()) {
      if (f.claimed().run().id().equals(runId)) {
        f.abort().abort(cause);
      }
    }
  }

  private void dispatch() {
    while (claiming) {
      try {
        int free = claimCapacity();
        // Worker jobs only for free workers; inline jobs (built-ins that end at once) are run and
        // recorded by the claim itself, so they are claimed whether or not a worker is free.
        // The capacity is taken again when the writer runs the claim: workers that handed over
        // their outcomes while the claim waited in the write queue are free by then (still no
        // job claimed beyond the free workers: only this thread claims, and it waits here).
        int atLeast = Math.max(0, free);
        int[] asked = {atLeast};
        int[] inline = {0};
        List<ClaimedAttempt> batch =
            store.writeAndWait(
                tx -> {
                  asked[0] = Math.max(atLeast, claimCapacity());
                  inline[0] = 0;
                  Map<String, Map<String, String>> secrets = new HashMap<>();
                  return claimer.claim(
                      tx,
                      owner,
                      asked[0],
                      INLINE_CLAIM,
                      lease,
                      (t, c, started) -> {
                        if (!runInline(t, c, started, secrets)) {
                          return false;
                        }
                        inline[0]++;
                        return true;
                      });
                });
        free = asked[0];
        int claimed = batch.size();
        for (ClaimedAttempt c : batch) {
          submit(c);
        }
        boolean moreInline = inline[0] >= INLINE_CLAIM;
        if (!moreInline && (claimed == 0 || claimed < free)) {
          wake.tryAcquire(poll.toMillis(), TimeUnit.MILLISECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        LOG.warn("claiming jobs failed; retrying", e);
        sleepQuietly(500);
      }
    }
  }

  /** How many jobs to claim now: one per free worker, bounded by outcomes awaiting commit. */
  private int claimCapacity() {
    // No prefetch: a claimed task is marked running, so claiming ahead of free workers would show
    // tasks as running that wait in memory, and a cancel could no longer skip them.
    int byWorkers = workers - busy.get();
    int byCommits = workers * MAX_UNRECORDED_PER_WORKER - inFlight.size();
    return Math.min(byWorkers, byCommits);
  }

  /**
   * Runs an inline job's attempt on the writer, in the claim's transaction, through the same path
   * as a worker (masking, templates, outputs contract, evidence), appends its log lines and records
   * its outcome there, the attempt's start with it (the claim took the job: no other node holds
   * it). False when its action is not an inline built-in after all, or recording failed (undone
   * alone): a worker runs it.
   */
  private boolean runInline(
      Tx tx, ClaimedAttempt claimed, Attempt started, Map<String, Map<String, String>> secrets) {
    ActionDefinition action;
    try {
      action = definitions.actionForTask(claimed.run(), claimed.task());
    } catch (RuntimeException e) {
      return false;
    }
    if (!InlineBuiltins.runsInline(action)) {
      return false;
    }
    try (RunLogContext logged = RunLogContext.of(claimed.run(), claimed.task().name())) {
      return runInline(tx, claimed, started, secrets, action);
    }
  }

  private boolean runInline(
      Tx tx,
      ClaimedAttempt claimed,
      Attempt started,
      Map<String, Map<String, String>> secrets,
      ActionDefinition action) {
    String project = claimed.run().project();
    AttemptRunner.Prepared prepared =
        runner.prepare(claimed, secrets.computeIfAbsent(project, runner::secretValues));
    AbortSignal abort = new AbortSignal();
    if (claimed.job().abortRequested() || abortRequested(claimed.run())) {
      abort.abort(abortCause(claimed.run()));
    }
    Outcome outcome = runner.run(claimed, action, prepared, abort);
    try {
      // A failure to record undoes only this job's changes: a worker runs it instead, so one bad
      // job never stalls every claim.
      return tx.inSavepoint(
          () -> {
            tx.logs().append(prepared.log().drain());
            recorder.recordInline(tx, claimed, started, action, outcome);
            return true;
          });
    } catch (RuntimeException e) {
      LOG.warn("recording {} inline failed; a worker runs it", claimed.task().name(), e);
      return false;
    }
  }

  private void submit(ClaimedAttempt claimed) {
    busy.incrementAndGet();
    AbortSignal abort = new AbortSignal();
    AttemptRunner.Prepared prepared = runner.prepare(claimed);
    InFlight f = new InFlight(claimed, abort, prepared);
    inFlight.put(claimed.job().id(), f);
    if (claimed.job().abortRequested() || abortRequested(claimed.run())) {
      abort.abort(abortCause(claimed.run()));
    }
    pool.execute(() -> execute(f));
  }

  private void execute(InFlight f) {
    ClaimedAttempt claimed = f.claimed();
    try (RunLogContext logged = RunLogContext.of(claimed.run(), claimed.task().name())) {
      executeLogged(f, claimed);
    }
  }

  private void executeLogged(InFlight f, ClaimedAttempt claimed) {
    boolean handedOver = false;
    try {
      ActionDefinition action = definitions.actionForTask(claimed.run(), claimed.task());
      Outcome outcome = runner.run(claimed, action, f.prepared(), f.abort());
      List<LogLine> lines = f.prepared().log().drain();
      // The last progress reported, kept on the job with the outcome (the flusher runs every
      // 250 ms and may not have seen it).
      Object[] progress = f.prepared().log().drainProgress();
      handedOver = true;
      // The worker is free once the outcome is queued for the writer; the job stays in flight
      // (lease heartbeated) until the commit.
      busy.decrementAndGet();
      wake();
      store
          .write(
              tx -> {
                tx.logs().append(lines);
                if (progress != null) {
                  tx.jobs()
                      .progress(
                          claimed.job().id(),
                          owner,
                          (Integer) progress[0],
                          (String) progress[1],
                          clock.instant());
                }
                return recorder.record(tx, claimed, owner, action, outcome);
              })
          .whenComplete(
              (ok, error) -> {
                if (error != null) {
                  try (RunLogContext logged =
                      RunLogContext.of(claimed.run(), claimed.task().name())) {
                    LOG.error("recording the outcome of {} failed", claimed.task().name(), error);
                  }
                }
                release(claimed);
              });
    } catch (RuntimeException e) {
      LOG.error("attempt of {} failed before it ran", claimed.task().name(), e);
      if (!handedOver) {
        busy.decrementAndGet();
      }
      release(claimed);
    }
  }

  private void release(ClaimedAttempt claimed) {
    inFlight.remove(claimed.job().id());
    wake();
  }

  private static boolean abortRequested(Run run) {
    return run.cancel() != null && run.cancel().path("abort").asBoolean();
  }

  private static String abortCause(Run run) {
    if (run.cancel() == null) {
      return "aborted";
    }
    return RunService.abortCause(
        run.cancel().path("by").asText("unknown"), run.cancel().path("reason").asText(null));
  }

  private void heartbeat() {
    if (inFlight.isEmpty()) {
      return;
    }
    try {
      List<String> ids = new ArrayList<>(inFlight.keySet());
      Instant now = clock.instant();
      List<String> aborted =
          store.writeAndWait(tx -> tx.jobs().heartbeat(owner, ids, now, now.plus(lease)));
      for (String id : aborted) {
        InFlight f = inFlight.get(id);
        if (f != null && !f.abort().isAborted()) {
          Run run = store.read(tx -> tx.runs().find(f.claimed().run().id())).orElse(null);
          f.abort().abort(run == null ? "aborted" : abortCause(run));
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("heartbeat failed", e);
    }
  }

  private void flushAll() {
    List<LogLine> lines = new ArrayList<>();
    List<Object[]> progress = new ArrayList<>();
    for (InFlight f : inFlight.values()) {
      lines.addAll(f.prepared().log().drain());
      Object[] p = f.prepared().log().drainProgress();
      if (p != null) {
        progress.add(new Object[] {f.claimed().job().id(), p[0], p[1]});
      }
    }
    if (lines.isEmpty() && progress.isEmpty()) {
      return;
    }
    Instant now = clock.instant();
    store.write(
        tx -> {
          tx.logs().append(lines);
          for (Object[] p : progress) {
            tx.jobs().progress((String) p[0], owner, (Integer) p[1], (String) p[2], now);
          }
          return null;
        });
  }

  /**
   * Stops claiming, lets in-flight attempts finish for up to {@code grace}, then stops. What is
   * unfinished resumes at the next start (its lease expires or the start-up reaper returns it).
   */
  public void shutdown(Duration grace) {
    claiming = false;
    wake();
    try {
      dispatcher.join(2000);
      long deadline = System.nanoTime() + grace.toNanos();
      while (!inFlight.isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    pool.shutdownNow();
    timers.shutdownNow();
  }

  @Override
  public void close() {
    shutdown(Duration.ofSeconds(5));
  }

  private static void sleepQuietly(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static java.util.concurrent.ThreadFactory named(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
