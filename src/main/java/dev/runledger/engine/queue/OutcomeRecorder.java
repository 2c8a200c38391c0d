package dev.runledger.engine.queue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runledger.audit.AuditLog;
import dev.runledger.engine.Principals;
import dev.runledger.engine.evidence.ArtifactService;
import dev.runledger.engine.run.RunAdvancer;
import dev.runledger.engine.run.StateChanges;
import dev.runledger.executor.AttemptResult;
import dev.runledger.model.ActionDefinition;
import dev.runledger.model.Attempt;
import dev.runledger.model.ClaimedAttempt;
import dev.runledger.model.Failure;
import dev.runledger.model.FailureKind;
import dev.runledger.model.Json;
import dev.runledger.model.RetryPolicy;
import dev.runledger.model.Run;
import dev.runledger.model.Task;
import dev.runledger.model.TaskStatus;
import dev.runledger.model.Timestamps;
import dev.runledger.store.Effect;
import dev.runledger.store.Tx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records how an attempt ended, in one transaction with its audit events: the attempt, the task's
 * new status (or its automatic retry), the effect for its idempotency key, the job, and the run's
 * next move. A worker whose lease was taken over records nothing (the fence).
 */
public final class OutcomeRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(OutcomeRecorder.class);

  private final StateChanges changes;
  private final RunAdvancer advancer;
  private final AuditLog audit;
  private final Clock clock;
  private final Runnable wakeDispatcher;
  private final EvidenceRecorder evidence = new EvidenceRecorder();
  private final ArtifactService artifacts;

  public OutcomeRecorder(
      StateChanges changes,
      RunAdvancer advancer,
      AuditLog audit,
      Clock clock,
      Runnable wakeDispatcher,
      ArtifactService artifacts) {
    this.changes = changes;
    this.advancer = advancer;
    this.audit = audit;
    this.clock = clock;
    this.wakeDispatcher = wakeDispatcher;
    this.artifacts = artifacts;
  }

  /** Records the outcome; returns false when this worker no longer holds the lease. */
  public boolean record(
      Tx tx, ClaimedAttempt claimed, String owner, ActionDefinition action, Outcome outcome) {
    if (!tx.jobs().holds(claimed.job().id(), owner, claimed.attempt())) {
      LOG.warn(
          "discarding the outcome of {} attempt {}: the lease is no longer held by {}",
          claimed.task().name(),
          claimed.attempt(),
          owner);
      audit
          .event("attempt.outcome-discarded", Principals.ENGINE)
          .project(claimed.run().project())
          .run(claimed.run().id())
          .task(claimed.task().name())
          .details(Json.object().put("attempt", claimed.attempt()).put("owner", owner))
          .append(tx);
      return false;
    }
    // Only the run's mutable columns can have changed since the claim (a cancel, say).
    Run run = tx.runs().current(claimed.run()).orElseThrow();
    Task task = tx.tasks().find(run.id(), claimed.task().name()).orElseThrow();
    Instant now = clock.instant();
    AttemptResult result = outcome.result();
    if (result instanceof AttemptResult.Sleep sleep) {
      tx.jobs().requeue(claimed.job().id(), sleep.until(), sleep.until(), now);
      audit
          .event("task.timer-set", Principals.ENGINE)
          .project(run.project())
          .run(run.id())
          .task(task.name())
          .details(Json.object().put("until", Timestamps.format(sleep.until())))
          .append(tx);
      tx.afterCommit(wakeDispatcher);
      return true;
    }
    if (result instanceof AttemptResult.Succeeded ok) {
      Failure over =
          outcome.evidence() == null
              ? null
              : artifacts.overRunLimit(tx, run.id(), outcome.evidence().outputs());
      if (over != null) {
        result = new AttemptResult.Failed(over, ok.exitCode(), ok.httpStatus(), null);
        outcome = new Outcome(result, null, outcome.evidence());
      }
    }
    Stored stored = new Stored(task.status(), null, evidence.record(tx, claimed, outcome));
    if (result instanceof AttemptResult.Succeeded ok) {
      succeed(tx, run, task, claimed, ok, outcome, stored, now);
    } else if (result instanceof AttemptResult.Failed failed) {
      fail(tx, run, task, claimed, action.retry(), failed, now, false, stored);
    }
    // Recording the outcome changed the task and the job, not the run: the run read above is
    // current.
    advancer.advance(tx, run);
    return true;
  }

  /**
   * Records the outcome of an inline attempt in the transaction that claimed it, whose start is
   * only in memory: {@code claimed} holds the task as started (running) and the run as the claim
   * holds it; the task's row, step counters and attempt are written once, here. The caller advances
   * the run (once for all the inline attempts of a claim).
   */
  void recordInline(
      Tx tx, ClaimedAttempt claimed, Attempt started, ActionDefinition action, Outcome outcome) {
    Instant now = clock.instant();
    Run run = claimed.run();
    Task task = claimed.task();
    Stored stored = new Stored(TaskStatus.QUEUED, started, evidence.record(tx, claimed, outcome));
    if (outcome.result() instanceof AttemptResult.Succeeded ok) {
      succeed(tx, run, task, claimed, ok, outcome, stored, now);
    } else if (outcome.result() instanceof AttemptResult.Failed failed) {
      fail(tx, run, task, claimed, action.retry(), failed, now, false, stored);
    } else {
      throw new IllegalStateException("an inline attempt cannot end with " + outcome.result());
    }
  }

  private void succeed(
      Tx tx,
      Run run,
      Task task,
      ClaimedAttempt claimed,
      AttemptResult.Succeeded ok,
      Outcome outcome,
      Stored stored,
      Instant now) {
    finishAttempt(tx, claimed, stored, "succeeded", ok.exitCode(), ok.httpStatus(), null, now);
    ObjectNode result = Json.object();
    result.set("ref", outcome.resultRef());
    result.set("outputs", ok.outputs());
    TaskStatus to = ok.replayed() ? TaskStatus.IDEMPOTENT_REPLAY : TaskStatus.SUCCEEDED;
    changes.moveTask(
        tx,
        run,
        task,
        stored.task(),
        to,
        t ->
            t.with(
                c -> {
                  c.result = result;
                  c.outputs = ok.outputs();
                  c.failure = null;
                  c.completedAt = now;
                }),
        Principals.ENGINE);
    tx.effects().record(Effect.of(run.project(), task, result, ok.outputs(), now));
    tx.jobs().finish(claimed.job(), now);
  }

  /**
   * Records a failed attempt: a transient failure is retried while the policy allows (a lost
   * worker's attempt always once more), otherwise the task fails.
   */
  void fail(
      Tx tx,
      Run run,
      Task task,
      ClaimedAttempt claimed,
      RetryPolicy policy,
      AttemptResult.Failed failed,
      Instant now,
      boolean workerLost) {
    fail(
        tx,
        run,
        task,
        claimed,
        policy,
        failed,
        now,
        workerLost,
        new Stored(task.status(), null, null));
  }

  private void fail(
      Tx tx,
      Run run,
      Task task,
      ClaimedAttempt claimed,
      RetryPolicy policy,
      AttemptResult.Failed failed,
      Instant now,
      boolean workerLost,
      Stored stored) {
    Failure failure = failed.failure();
    finishAttempt(
        tx,
        claimed,
        stored,
        "failed",
        failed.exitCode(),
        failed.httpStatus(),
        failure.cause(),
        now);
    int attempt = claimed.attempt();
    int allowed = policy.maxAttempts() + (workerLost ? 1 : 0);
    boolean retry =
        failure.kind() == FailureKind.TRANSIENT && attempt < allowed && run.cancel() == null;
    if (retry) {
      Duration delay = policy.delayBefore(attempt + 1);
      if (failed.retryAfter() != null && failed.retryAfter().compareTo(delay) > 0) {
        delay = failed.retryAfter();
      }
      changes.moveTask(
          tx,
          run,
          task,
          stored.task(),
          TaskStatus.QUEUED,
          t -> t.with(c -> c.failure = failure),
          Principals.ENGINE);
      tx.jobs().requeue(claimed.job(), now.plus(delay), now);
      tx.afterCommit(wakeDispatcher);
      return;
    }
    changes.moveTask(
        tx,
        run,
        task,
        stored.task(),
        TaskStatus.FAILED,
        t ->
            t.with(
                c -> {
                  c.failure = failure;
                  c.completedAt = now;
                }),
        Principals.ENGINE);
    tx.jobs().finish(claimed.job(), now);
  }

  /**
   * What the store holds of an attempt when its outcome is recorded: the status its task's row and
   * step counters hold, the attempt's start when it is only in memory (an inline attempt, inserted
   * as it ended), and the evidence to write with its end.
   */
  private record Stored(TaskStatus task, Attempt start, JsonNode evidence) {}

  /** Ends the attempt's row, with its evidence. */
  private static void finishAttempt(
      Tx tx,
      ClaimedAttempt claimed,
      Stored stored,
      String status,
      Integer exitCode,
      Integer httpStatus,
      String error,
      Instant now) {
    Attempt started = stored.start();
    Attempt ended =
        new Attempt(
            claimed.run().id(),
            claimed.task().name(),
            claimed.attempt(),
            status,
            started == null ? null : started.startedAt(),
            now,
            started == null ? null : started.host(),
            exitCode,
            httpStatus,
            error);
    if (started == null) {
      tx.attempts().finish(ended, stored.evidence());
    } else {
      tx.attempts().insert(ended, stored.evidence());
    }
  }
}
