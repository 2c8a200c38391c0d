package dev.runledger.engine.queue;

import dev.runledger.engine.RunLogContext;
import dev.runledger.engine.catalog.DefinitionService;
import dev.runledger.engine.run.RunAdvancer;
import dev.runledger.executor.AttemptResult;
import dev.runledger.model.ActionDefinition;
import dev.runledger.model.ClaimedAttempt;
import dev.runledger.model.Failure;
import dev.runledger.model.Job;
import dev.runledger.model.JobState;
import dev.runledger.model.Run;
import dev.runledger.model.Task;
import dev.runledger.model.TaskStatus;
import dev.runledger.store.RunStep;
import dev.runledger.store.Store;
import dev.runledger.store.Tx;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Returns jobs whose worker was lost (lease expired, or the process died) to the queue: the lost
 * attempt is recorded failed with cause "worker lost" and retried while its policy allows, always
 * once more.
 */
public final class Reaper {
  private static final Logger LOG = LoggerFactory.getLogger(Reaper.class);
  private static final int BATCH = 200;
  static final String WORKER_LOST = "worker lost";

  private final Store store;
  private final OutcomeRecorder recorder;
  private final RunAdvancer advancer;
  private final DefinitionService definitions;
  private final Clock clock;

  public Reaper(
      Store store,
      OutcomeRecorder recorder,
      RunAdvancer advancer,
      DefinitionService definitions,
      Clock clock) {
    this.store = store;
    this.recorder = recorder;
    this.advancer = advancer;
    this.definitions = definitions;
    this.clock = clock;
  }

  /** Reaps jobs whose lease expired; returns how many. */
  public int reapExpired() {
    int total = 0;
    List<Job> expired;
    do {
      Instant now = clock.instant();
      expired = store.read(tx -> tx.jobs().expired(now, BATCH));
      for (Job job : expired) {
        total += reap(job, true) ? 1 : 0;
      }
    } while (expired.size() == BATCH);
    return total;
  }

  /**
   * Reaps every leased job whatever its lease: right at start on the embedded store, where this is
   * the only node, so any lease left is a lost worker's.
   */
  public int reapAllLeased() {
    int total = 0;
    List<Job> leased;
    do {
      leased = store.read(tx -> tx.jobs().leased(BATCH));
      for (Job job : leased) {
        total += reap(job, false) ? 1 : 0;
      }
    } while (leased.size() == BATCH && total > 0);
    return total;
  }

  /**
   * Reaps every job leased by an earlier incarnation of this node, whatever its lease: at start,
   * when the node holds its data directory alone (so the server that took those leases is gone),
   * its attempts are recorded as worker lost at once instead of when their leases run out.
   *
   * @param ownerPart the part of a lease owner that names this node, e.g. {@code ":node-id:"}
   */
  public int reapLeasedBy(String ownerPart) {
    int total = 0;
    List<Job> leased;
    do {
      leased = store.read(tx -> tx.jobs().leasedBy(ownerPart, BATCH));
      int reaped = 0;
      for (Job job : leased) {
        reaped += reap(job, false) ? 1 : 0;
      }
      total += reaped;
      if (reaped == 0) {
        break;
      }
    } while (leased.size() == BATCH);
    return total;
  }

  /** Advances every run that is not terminal (after a restart nothing is held in memory). */
  public void resumeRuns() {
    for (String id : store.read(tx -> tx.runs().activeIds())) {
      store.writeAndWait(tx -> advancer.advance(tx, tx.runs().find(id).orElseThrow()));
      // A fan-out whose next page was due when the server stopped: plan it now (the follow-up
      // page is scheduled after a commit, so it does not survive a restart by itself).
      for (RunStep step : store.read(tx -> tx.runSteps().forRun(id))) {
        if (step.isPlanning()) {
          store.writeAndWait(tx -> advancer.continuePlanning(tx, id, step.step()));
        }
      }
    }
  }

  private boolean reap(Job seen, boolean onlyIfExpired) {
    try {
      return store.writeAndWait(tx -> reapInTx(tx, seen, onlyIfExpired));
    } catch (RuntimeException e) {
      LOG.warn("reaping job {} failed", seen.id(), e);
      return false;
    }
  }

  private boolean reapInTx(Tx tx, Job seen, boolean onlyIfExpired) {
    Instant now = clock.instant();
    Job job = tx.jobs().forTask(seen.runId(), seen.taskName()).orElse(null);
    if (job == null
        || job.state() != JobState.LEASED
        || job.attempt() != seen.attempt()
        || (onlyIfExpired && !job.leaseExpiresAt().isBefore(now))) {
      return false;
    }
    Run run = tx.runs().find(job.runId()).orElseThrow();
    Task task = tx.tasks().find(job.runId(), job.taskName()).orElseThrow();
    try (RunLogContext logged = RunLogContext.of(run, task.name())) {
      return reapLost(tx, job, run, task, now);
    }
  }

  private boolean reapLost(Tx tx, Job job, Run run, Task task, Instant now) {
    LOG.warn("{} attempt {}: worker {} lost", task.name(), job.attempt(), job.leaseOwner());
    if (task.status() != TaskStatus.RUNNING) {
      tx.jobs().finish(job.id(), now);
      return true;
    }
    ActionDefinition action = definitions.actionForTask(run, task);
    Failure failure =
        Failure.transientFailure(
            WORKER_LOST + " (" + job.leaseOwner() + ") during attempt " + job.attempt(),
            "the worker stopped (crash or restart) while the attempt ran; it is retried once more");
    recorder.fail(
        tx,
        run,
        task,
        new ClaimedAttempt(job, task, run),
        action.retry(),
        new AttemptResult.Failed(failure, null, null, null),
        now,
        true);
    advancer.advance(tx, tx.runs().find(run.id()).orElseThrow());
    return true;
  }
}
