package dev.runledger.engine.run;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runledger.audit.AuditLog;
import dev.runledger.engine.StateConflictException;
import dev.runledger.model.Attempt;
import dev.runledger.model.Failure;
import dev.runledger.model.Job;
import dev.runledger.model.Json;
import dev.runledger.model.Principal;
import dev.runledger.model.Run;
import dev.runledger.model.SkipReason;
import dev.runledger.model.Task;
import dev.runledger.model.TaskStatus;
import dev.runledger.model.Timestamps;
import dev.runledger.store.Store;
import dev.runledger.store.Tx;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Cancel and abort: a run's tasks not started are skipped, its child runs are cancelled with it,
 * and (on abort) its in-flight attempts are asked to stop: those on this node through {@code
 * abortLocally}, those waiting on a durable timer at once, in the abort's transaction.
 */
final class RunCancellation {
  private static final int TASK_PAGE = 500;

  private final Store store;
  private final RunAdvancer advancer;
  private final StateChanges changes;
  private final AuditLog audit;
  private final Clock clock;
  private final BiConsumer<String, String> abortLocally;

  RunCancellation(
      Store store,
      RunAdvancer advancer,
      StateChanges changes,
      AuditLog audit,
      Clock clock,
      BiConsumer<String, String> abortLocally) {
    this.store = store;
    this.advancer = advancer;
    this.changes = changes;
    this.audit = audit;
    this.clock = clock;
    this.abortLocally = abortLocally;
  }

  /**
   * Cancels a run: tasks not started are skipped (run-cancelled), tasks in flight finish. With
   * {@code abort}, in-flight attempts are also terminated.
   *
   * @throws StateConflictException when the run is already terminal
   */
  Run cancel(String project, String runId, Principal principal, String reason, boolean abort) {
    List<String> aborted = new ArrayList<>();
    Run result =
        store.writeAndWait(
            tx -> {
              aborted.clear(); // this unit may run twice (see Store#write)
              Run run = RunService.findRun(tx, project, runId);
              if (run.status().isTerminal()) {
                throw new StateConflictException(
                    "run " + runId + " is " + run.status().wire() + " already");
              }
              return cancelInTx(tx, run, principal.name(), reason, abort, aborted);
            });
    for (String id : aborted) {
      abortLocally.accept(id, abortCause(principal.name(), reason));
    }
    return result;
  }

  /**
   * Cancels (or aborts) a run and, through its running child-workflow tasks, their child runs, in
   * the caller's transaction. Adds the ids of aborted runs to {@code aborted}.
   */
  private Run cancelInTx(
      Tx tx, Run run, String actor, String reason, boolean abort, List<String> aborted) {
    if (run.status().isTerminal()
        || (run.cancel() != null && !(abort && !run.cancel().path("abort").asBoolean()))) {
      return run;
    }
    Instant now = clock.instant();
    ObjectNode cancel = Json.object();
    cancel.put("requestedAt", Timestamps.format(now));
    cancel.put("by", actor);
    cancel.put("reason", reason);
    cancel.put("abort", abort);
    Run marked =
        changes.save(
            tx,
            run.with(
                c -> {
                  c.cancel = cancel;
                  c.waiting = false;
                }));
    audit
        .event(abort ? "run.abort-requested" : "run.cancel-requested", actor)
        .project(run.project())
        .run(run.id())
        .details(Json.object().put("reason", reason))
        .append(tx);
    skipNotStarted(tx, marked, actor, now);
    if (abort) {
      markAborts(tx, marked, actor, reason, now);
      endTimers(tx, marked, actor, reason, now);
      aborted.add(run.id());
    }
    for (Task task :
        tx.tasks().list(run.id(), List.of(TaskStatus.RUNNING), null, 0, Integer.MAX_VALUE)) {
      if (ChildRuns.isChild(task) && task.result() != null && task.result().hasNonNull("ref")) {
        tx.runs()
            .find(task.result().get("ref").asText())
            .ifPresent(child -> cancelInTx(tx, child, actor, reason, abort, aborted));
      }
    }
    return advancer.advance(tx, tx.runs().find(run.id()).orElseThrow());
  }

  /** The cause recorded on an aborted attempt. */
  static String abortCause(String by, String reason) {
    return "aborted by " + by + (reason == null || reason.isBlank() ? "" : ": " + reason);
  }

  private void skipNotStarted(Tx tx, Run run, String actor, Instant now) {
    List<TaskStatus> notStarted =
        List.of(TaskStatus.PENDING, TaskStatus.QUEUED, TaskStatus.AWAITING_APPROVAL);
    while (true) {
      List<Task> page = tx.tasks().list(run.id(), notStarted, null, 0, TASK_PAGE);
      if (page.isEmpty()) {
        return;
      }
      for (Task task : page) {
        changes.moveTask(
            tx,
            run,
            task,
            TaskStatus.SKIPPED,
            t ->
                t.with(
                    c -> {
                      c.skipReason = SkipReason.RUN_CANCELLED;
                      c.completedAt = now;
                    }),
            actor);
        tx.jobs().forTask(run.id(), task.name()).ifPresent(j -> tx.jobs().finish(j.id(), now));
        if (task.status() == TaskStatus.AWAITING_APPROVAL) {
          tx.approvals()
              .forTask(run.id(), task.name())
              .ifPresent(
                  a ->
                      tx.approvals()
                          .decide(a.id(), "cancelled", actor, now, "the run was cancelled"));
        }
      }
    }
  }

  private void markAborts(Tx tx, Run run, String actor, String reason, Instant now) {
    for (Job job : tx.jobs().requestAbort(run.id(), now)) {
      tx.tasks()
          .find(run.id(), job.taskName())
          .ifPresent(
              task ->
                  tx.tasks()
                      .update(
                          task.with(
                              c -> {
                                c.abort = abortRecord(actor, reason, now, job);
                                c.updatedAt = now;
                              })));
    }
  }

  /**
   * Ends the attempts that wait on a durable timer ({@code sleep}): no thread holds them, so
   * nothing else would see the abort before the timer is due. Each ends failed with the abort's
   * cause, here, in the abort's transaction. A timer claimed meanwhile by a worker is left to it
   * (its job is no longer queued).
   */
  private void endTimers(Tx tx, Run run, String actor, String reason, Instant now) {
    String cause = abortCause(actor, reason);
    for (Task task :
        tx.tasks().list(run.id(), List.of(TaskStatus.RUNNING), null, 0, Integer.MAX_VALUE)) {
      Job job = tx.jobs().forTask(run.id(), task.name()).orElse(null);
      if (job == null || job.timerDue() == null || !tx.jobs().endTimer(job.id(), now)) {
        continue;
      }
      tx.attempts()
          .finish(
              new Attempt(
                  run.id(),
                  task.name(),
                  job.attempt(),
                  "failed",
                  null,
                  now,
                  null,
                  null,
                  null,
                  cause));
      changes.failTask(
          tx,
          run,
          task,
          Failure.deterministic(cause, null),
          now,
          t -> t.with(c -> c.abort = abortRecord(actor, reason, now, job)),
          actor);
    }
  }

  /** A task's {@code abort}: when it was asked for, by whom, why, and the attempt it ends. */
  private static ObjectNode abortRecord(String actor, String reason, Instant now, Job job) {
    ObjectNode abort = Json.object();
    abort.put("requestedAt", Timestamps.format(now));
    abort.put("by", actor);
    abort.put("reason", reason);
    ArrayNode attempts = abort.putArray("attempts");
    attempts.add(job.attempt());
    return abort;
  }
}
