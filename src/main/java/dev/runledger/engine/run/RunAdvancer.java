package dev.runledger.engine.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runledger.audit.AuditLog;
import dev.runledger.engine.Principals;
import dev.runledger.engine.RunLogContext;
import dev.runledger.model.Approval;
import dev.runledger.model.Durations;
import dev.runledger.model.Ids;
import dev.runledger.model.Job;
import dev.runledger.model.Json;
import dev.runledger.model.Run;
import dev.runledger.model.SkipReason;
import dev.runledger.model.Task;
import dev.runledger.model.TaskStatus;
import dev.runledger.model.Timestamps;
import dev.runledger.model.WorkflowStep;
import dev.runledger.store.RunStep;
import dev.runledger.store.Store;
import dev.runledger.store.Tx;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the planner's decision to a run inside the caller's transaction: creates the tasks and
 * jobs of steps that became ready (a page at a time for a fan-out; the rest follow in their own
 * transactions), skips steps that cannot run, and moves the run's status. Reads the per-step
 * counters, never the run's tasks.
 */
public final class RunAdvancer {
  private static final Logger LOG = LoggerFactory.getLogger(RunAdvancer.class);

  private final StateChanges changes;
  private final AuditLog audit;
  private final TaskPlanner taskPlanner;
  private final Clock clock;
  private final Runnable wakeDispatcher;
  private Store store;
  private Executor preparation = Runnable::run;
  private RunEndListener runEndListener = (tx, run) -> {};

  public RunAdvancer(
      StateChanges changes,
      AuditLog audit,
      TaskPlanner taskPlanner,
      Clock clock,
      Runnable wakeDispatcher) {
    this.changes = changes;
    this.audit = audit;
    this.taskPlanner = taskPlanner;
    this.clock = clock;
    this.wakeDispatcher = wakeDispatcher;
  }

  /** True if the task's action is a built-in that ends at once (its job is claimed inline). */
  public boolean runsInline(Run run, Task task) {
    return taskPlanner.runsInline(run, task);
  }

  /** Called in the transaction in which a run reaches a terminal status. */
  @FunctionalInterface
  public interface RunEndListener {
    void ended(Tx tx, Run run);
  }

  /**
   * Connects the advancer to the store (for the follow-up pages of large fan-outs) and to what must
   * happen when a run ends (a parent run's task, for a child run).
   */
  public void connect(Store store, RunEndListener listener) {
    this.store = store;
    this.runEndListener = listener;
  }

  /**
   * Where fan-out lists are evaluated ({@link #prepare}): a thread of its own, so that neither the
   * shared writer nor the thread that commits waits for a large list.
   */
  public void prepareOn(Executor executor) {
    this.preparation = executor;
  }

  public TaskPlanner taskPlanner() {
    return taskPlanner;
  }

  /** Advances the run as far as it can go now; returns the run as it is afterwards. */
  public Run advance(Tx tx, Run run) {
    if (run.status().isTerminal() || run.waiting()) {
      return run;
    }
    return advance(tx, run, tx.runSteps().forRun(run.id()));
  }

  /** As {@link #advance(Tx, Run)}, with the run's steps as they are stored now, read already. */
  public Run advance(Tx tx, Run run, List<RunStep> stored) {
    if (run.status().isTerminal() || run.waiting()) {
      return run;
    }
    Map<String, RunStep> steps = new HashMap<>();
    for (RunStep s : stored) {
      steps.put(s.step(), s);
    }
    return advance(tx, run, steps, null);
  }

  /**
   * Advances a run just inserted in this transaction: it has no steps and no tasks yet, so nothing
   * is read back.
   */
  public Run advanceNew(Tx tx, Run run) {
    if (run.waiting()) {
      return run;
    }
    return advance(tx, run, new HashMap<>(), 0);
  }

  private Run advance(Tx tx, Run run, Map<String, RunStep> steps, Integer knownSeq) {
    RunBlueprint blueprint = taskPlanner.blueprint(run);
    Integer lastSeq = knownSeq;
    Run current = run;
    boolean queued = false;
    while (true) {
      PlanDecision decision =
          Planner.plan(
              blueprint.steps(), progress(steps), current.cancel() != null, current.status());
      if (decision.stepsToStart().isEmpty() && decision.stepsToSkip().isEmpty()) {
        if (queued) {
          tx.afterCommit(wakeDispatcher);
        }
        if (decision.nextStatus() != current.status()) {
          Run moved = changes.moveRun(tx, current, decision.nextStatus(), Principals.ENGINE);
          if (moved.status().isTerminal()) {
            runEndListener.ended(tx, moved);
          }
          return moved;
        }
        return current;
      }
      Instant now = clock.instant();
      // The tasks written by this loop are counted here instead of read back.
      int seq = lastSeq != null ? lastSeq : tx.tasks().maxSeq(run.id());
      for (Map.Entry<String, SkipReason> skip : decision.stepsToSkip().entrySet()) {
        String step = skip.getKey();
        Task placeholder =
            taskPlanner.skippedPlaceholder(current, blueprint, step, ++seq, skip.getValue(), now);
        RunStep skipped =
            written(
                run.id(),
                step,
                blueprint.position(step),
                skip.getValue(),
                List.of(placeholder),
                1,
                1,
                true);
        tx.runSteps().insert(skipped);
        store(tx, current, blueprint, List.of(placeholder), now);
        steps.put(step, skipped);
      }
      for (String step : decision.stepsToStart()) {
        TaskPlanner.Page page = taskPlanner.page(tx, current, blueprint, step, 0, seq);
        seq += page.tasks().size();
        RunStep started =
            written(
                run.id(),
                step,
                blueprint.position(step),
                null,
                page.tasks(),
                page.planned(),
                page.total(),
                page.done());
        tx.runSteps().insert(started);
        queued |= store(tx, current, blueprint, page.tasks(), now);
        current = count(tx, current, page);
        if (!page.prepared()) {
          prepareLater(tx, run.id(), step);
        } else if (!page.done()) {
          planMoreLater(tx, run.id(), step);
        }
        steps.put(step, started);
      }
      lastSeq = seq;
      // The steps just written are known without reading them back (they were new rows).
      // New tasks may already be terminal (skipped, failed planning): plan again until stable.
    }
  }

  /** Logs a failure of work on {@code runId} done after a commit, with the run named (MDC). */
  private static void logFailure(String runId, String message, String step, Throwable e) {
    try (RunLogContext logged = RunLogContext.of(runId, null)) {
      LOG.error(message, step, runId, e);
    }
  }

  /** After commit, plans the next page of a fan-out step in a transaction of its own. */
  private void planMoreLater(Tx tx, String runId, String step) {
    tx.afterCommit(
        () ->
            store
                .write(t -> continuePlanning(t, runId, step))
                .whenComplete(
                    (r, e) -> {
                      if (e != null) {
                        logFailure(runId, "planning the next page of {} in {} failed", step, e);
                      }
                    }));
  }

  /**
   * After commit, evaluates a fan-out step's forEach list outside the writer ({@link #prepare}),
   * then plans its pages.
   */
  private void prepareLater(Tx tx, String runId, String step) {
    tx.afterCommit(() -> preparation.execute(() -> prepare(runId, step)));
  }

  /**
   * Evaluates the forEach list of a step waiting for it: reads what it needs in a read transaction,
   * evaluates with no transaction open, then plans the first page in a write.
   */
  void prepare(String runId, String step) {
    try {
      store
          .read(
              tx -> {
                Run run = tx.runs().find(runId).orElseThrow();
                if (run.status().isTerminal() || run.cancel() != null) {
                  return Optional.<Runnable>empty();
                }
                WorkflowStep spec = taskPlanner.blueprint(run).step(step);
                Map<String, Object> variables = taskPlanner.variables(tx, run, spec);
                long otherTasks = 0;
                for (RunStep s : tx.runSteps().forRun(runId)) {
                  if (!s.step().equals(step) && s.total() != null) {
                    otherTasks += s.total();
                  }
                }
                long others = otherTasks;
                return Optional.<Runnable>of(
                    () -> taskPlanner.prepare(run, spec, variables, others));
              })
          .ifPresent(Runnable::run);
      store
          .write(t -> continuePlanning(t, runId, step))
          .whenComplete(
              (r, e) -> {
                if (e != null) {
                  logFailure(runId, "planning the first page of {} in {} failed", step, e);
                }
              });
    } catch (RuntimeException e) {
      logFailure(runId, "evaluating the forEach of {} in {} failed", step, e);
    }
  }

  /** Plans the next page of a step still planning; when it is the last, advances the run. */
  public Run continuePlanning(Tx tx, String runId, String step) {
    Run run = tx.runs().find(runId).orElseThrow();
    RunStep progress =
        tx.runSteps().forRun(runId).stream()
            .filter(s -> s.step().equals(step))
            .findFirst()
            .orElseThrow();
    if (!progress.isPlanning() || run.status().isTerminal()) {
      return run;
    }
    Instant now = clock.instant();
    if (run.cancel() != null) {
      // Subjects not yet planned will not run: the step is closed as it stands.
      taskPlanner.forget(runId, step);
      tx.runSteps().planned(runId, step, Map.of(), progress.planned(), progress.planned(), true);
      return advance(tx, run);
    }
    RunBlueprint blueprint = taskPlanner.blueprint(run);
    int seq = tx.tasks().maxSeq(runId);
    TaskPlanner.Page page = taskPlanner.page(tx, run, blueprint, step, progress.planned(), seq);
    if (!page.prepared()) {
      // Its list is not held here (a restart, another node): evaluated outside the writer first.
      prepareLater(tx, runId, step);
      return run;
    }
    boolean queued = store(tx, run, blueprint, page.tasks(), now);
    tx.runSteps()
        .planned(runId, step, countsOf(page.tasks()), page.planned(), page.total(), page.done());
    Run current = count(tx, run, page);
    if (queued) {
      tx.afterCommit(wakeDispatcher);
    }
    if (!page.done()) {
      planMoreLater(tx, runId, step);
      return current;
    }
    return advance(tx, current);
  }

  private Run count(Tx tx, Run run, TaskPlanner.Page page) {
    if (page.matched() == 0) {
      return run;
    }
    return changes.save(
        tx, run.with(c -> c.subjectsMatched = run.subjectsMatched() + page.matched()));
  }

  /** Stores new tasks, their audit events and the jobs of those queued; true if any was queued. */
  private boolean store(Tx tx, Run run, RunBlueprint blueprint, List<Task> tasks, Instant now) {
    tx.tasks().insertAll(tasks);
    List<Job> jobs = new ArrayList<>();
    for (Task task : tasks) {
      changes.taskCreated(tx, run, task, Principals.ENGINE);
      if (task.status() == TaskStatus.AWAITING_APPROVAL) {
        requestApproval(tx, run, blueprint.step(task.step()).approval(), task, now);
      }
      if (task.status() == TaskStatus.QUEUED) {
        jobs.add(
            Job.queued(
                Ids.job(),
                run.project(),
                run.id(),
                task.name(),
                now,
                taskPlanner.runsInline(run, task)));
      }
    }
    tx.jobs().insertAll(jobs);
    return !jobs.isEmpty();
  }

  /** Opens the approval that gates a task, with its audit event. */
  private void requestApproval(Tx tx, Run run, JsonNode spec, Task task, Instant now) {
    String role = spec.path("role").asText("approver");
    Instant expires =
        spec.hasNonNull("expiresIn")
            ? now.plus(Durations.parse(spec.get("expiresIn").asText()))
            : null;
    Approval approval =
        new Approval(
            Ids.approval(),
            run.project(),
            run.id(),
            task.name(),
            role,
            "pending",
            spec.path("allowSelfApproval").asBoolean(false),
            now,
            expires,
            null,
            null,
            null);
    tx.approvals().insert(approval);
    audit
        .event("approval.requested", Principals.ENGINE)
        .project(run.project())
        .run(run.id())
        .task(task.name())
        .target(approval.id())
        .details(
            Json.object()
                .put("approval", approval.id())
                .put("role", role)
                .put("expiresAt", Timestamps.format(expires)))
        .append(tx);
  }

  /**
   * A new step row: planned so far {@code planned} of {@code total}, its tasks counted; {@code
   * skipped} says why the step was skipped as a whole (null when it was planned).
   */
  private static RunStep written(
      String runId,
      String step,
      int position,
      SkipReason skipped,
      List<Task> tasks,
      int planned,
      Integer total,
      boolean done) {
    Map<TaskStatus, Integer> counts = new EnumMap<>(TaskStatus.class);
    for (TaskStatus status : TaskStatus.values()) {
      counts.put(status, 0);
    }
    countsOf(tasks).forEach((status, n) -> counts.merge(status, n, Integer::sum));
    return new RunStep(
        runId,
        step,
        position,
        done ? "planned" : "planning",
        planned,
        total,
        skipped == SkipReason.UPSTREAM_FAILED,
        counts,
        skipped != null && skipped.isDecision() ? skipped : null);
  }

  private static Map<TaskStatus, Integer> countsOf(List<Task> tasks) {
    Map<TaskStatus, Integer> counts = new EnumMap<>(TaskStatus.class);
    for (Task t : tasks) {
      counts.merge(t.status(), 1, Integer::sum);
    }
    return counts;
  }

  private static Map<String, StepProgress> progress(Map<String, RunStep> steps) {
    Map<String, StepProgress> progress = new HashMap<>();
    steps.forEach(
        (id, s) -> {
          Map<TaskStatus, Integer> counts = new EnumMap<>(s.counts());
          if (s.isPlanning()) {
            // Subjects not yet planned count as pending: the step is not done.
            counts.merge(TaskStatus.PENDING, 1, Integer::sum);
          }
          progress.put(id, new StepProgress(counts, s.upstreamSkipped(), s.declined()));
        });
    return progress;
  }
}
