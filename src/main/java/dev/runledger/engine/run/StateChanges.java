package dev.runledger.engine.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runledger.audit.AuditLog;
import dev.runledger.engine.ConcurrentChangeException;
import dev.runledger.model.Failure;
import dev.runledger.model.Json;
import dev.runledger.model.Run;
import dev.runledger.model.RunStatus;
import dev.runledger.model.Task;
import dev.runledger.model.TaskStatus;
import dev.runledger.model.Transitions;
import dev.runledger.store.Tx;
import java.time.Clock;
import java.time.Instant;
import java.util.function.UnaryOperator;

/**
 * The one guarded mutator of run and task status: checks the transition table, writes the change
 * and appends its audit event in the same transaction, so the record and the trail cannot drift.
 */
public final class StateChanges {
  /** The review state of a run that will need review once it ends (shown as no review yet). */
  public static final String REVIEW_WAITS_FOR_END = Run.REVIEW_WAITS_FOR_END;

  private final AuditLog audit;
  private final Clock clock;
  private final StatusObserver observer;

  public StateChanges(AuditLog audit, Clock clock) {
    this(audit, clock, StatusObserver.NONE);
  }

  /** With an observer told of every move once it is committed (metrics). */
  public StateChanges(AuditLog audit, Clock clock, StatusObserver observer) {
    this.audit = audit;
    this.clock = clock;
    this.observer = observer;
  }

  /**
   * Moves a task to {@code to}, applying {@code edit} to the other fields.
   *
   * @throws dev.runledger.model.IllegalTransitionException when the table forbids the move
   */
  public Task moveTask(
      Tx tx, Run run, Task task, TaskStatus to, UnaryOperator<Task> edit, String actor) {
    return moveTask(tx, run, task, task.status(), to, edit, actor);
  }

  /** Ends a task {@code failed} with {@code failure} at {@code now}, {@code edit} applied too. */
  public Task failTask(
      Tx tx,
      Run run,
      Task task,
      Failure failure,
      Instant now,
      UnaryOperator<Task> edit,
      String actor) {
    return moveTask(
        tx,
        run,
        task,
        TaskStatus.FAILED,
        t ->
            edit.apply(
                t.with(
                    c -> {
                      c.failure = failure;
                      c.completedAt = now;
                    })),
        actor);
  }

  /**
   * As {@link #moveTask(Tx, Run, Task, TaskStatus, UnaryOperator, String)} for a task whose row and
   * step counters still hold {@code stored}: a task moved {@link #moveTaskInMemory in memory} since
   * (an inline attempt's start), so that its row is written once.
   */
  public Task moveTask(
      Tx tx,
      Run run,
      Task task,
      TaskStatus stored,
      TaskStatus to,
      UnaryOperator<Task> edit,
      String actor) {
    Task changed = moveTaskInMemory(tx, run, task, to, edit, actor);
    tx.tasks().update(changed);
    tx.runSteps().move(run.id(), task.step(), stored, to);
    return changed;
  }

  /**
   * Moves a task with its audit event but writes neither its row nor its step counters: the caller
   * writes them with the task's next move (passing the status they still hold) in this transaction.
   */
  public Task moveTaskInMemory(
      Tx tx, Run run, Task task, TaskStatus to, UnaryOperator<Task> edit, String actor) {
    Transitions.check(run.id() + "/" + task.name(), task.status(), to);
    if (observer != StatusObserver.NONE) {
      tx.afterCommit(() -> observer.taskMoved(to));
    }
    Instant now = clock.instant();
    Task changed =
        edit.apply(
            task.with(
                c -> {
                  c.status = to;
                  c.updatedAt = now;
                }));
    ObjectNode details = Json.object().put("from", task.status().wire()).put("to", to.wire());
    if (changed.skipReason() != null) {
      details.put("skipReason", changed.skipReason().wire());
    }
    if (changed.failure() != null && to == TaskStatus.FAILED) {
      details.set("failure", Json.MAPPER.valueToTree(changed.failure()));
    }
    if (changed.replayOf() != null && to == TaskStatus.IDEMPOTENT_REPLAY) {
      details.set("replayOf", Json.MAPPER.valueToTree(changed.replayOf()));
    }
    audit
        .event("task.status-changed", actor)
        .project(run.project())
        .run(run.id())
        .task(task.name())
        .details(details)
        .append(tx);
    return changed;
  }

  /** Records a newly planned task (its first status) with its audit event. */
  public void taskCreated(Tx tx, Run run, Task task, String actor) {
    audit
        .event("task.created", actor)
        .project(run.project())
        .run(run.id())
        .task(task.name())
        .details(
            Json.object()
                .put("status", task.status().wire())
                .put("action", task.action())
                .put("skipReason", task.skipReason() == null ? null : task.skipReason().wire()))
        .append(tx);
    if (observer != StatusObserver.NONE && task.status().isTerminal()) {
      // A task made ended (skipped at planning, say) is a task finished too.
      TaskStatus status = task.status();
      tx.afterCommit(() -> observer.taskMoved(status));
    }
  }

  /**
   * Moves a run to {@code to}, setting its start and completion times as the status implies.
   *
   * @throws dev.runledger.model.IllegalTransitionException when the table forbids the move
   * @throws ConcurrentChangeException when another writer changed the run first
   */
  public Run moveRun(Tx tx, Run run, RunStatus to, String actor) {
    return save(tx, moveRunInMemory(tx, run, to, actor));
  }

  /**
   * Moves a run with its audit event without writing it: the caller {@link #save saves} it (under
   * the version it was read with) before the transaction ends.
   */
  public Run moveRunInMemory(Tx tx, Run run, RunStatus to, String actor) {
    Transitions.check(run.id(), run.status(), to);
    if (observer != StatusObserver.NONE) {
      tx.afterCommit(() -> observer.runMoved(to));
    }
    Instant now = clock.instant();
    Instant started = run.startedAt();
    if (started == null && to != RunStatus.PENDING) {
      started = now;
    }
    Instant completed = to.isTerminal() ? now : null;
    Instant startedAt = started;
    Run moved =
        run.with(
            c -> {
              c.status = to;
              c.startedAt = startedAt;
              c.completedAt = completed;
              // A run whose workflow requires review opens its review when it ends.
              if (to.isTerminal() && REVIEW_WAITS_FOR_END.equals(run.reviewStatus())) {
                c.reviewStatus = "pending";
              }
            });
    audit
        .event("run.status-changed", actor)
        .project(run.project())
        .run(run.id())
        .details(Json.object().put("from", run.status().wire()).put("to", to.wire()))
        .append(tx);
    return moved;
  }

  /** Writes a run's other mutable fields (counters, cancel, review) under its version guard. */
  public Run save(Tx tx, Run run) {
    if (!tx.runs().update(run)) {
      throw new ConcurrentChangeException("run " + run.id() + " was changed concurrently");
    }
    return run.with(c -> c.version = run.version() + 1);
  }
}
