package dev.runledger.engine.queue;

import dev.runledger.engine.Principals;
import dev.runledger.engine.run.ChildRuns;
import dev.runledger.engine.run.RunAdvancer;
import dev.runledger.engine.run.StateChanges;
import dev.runledger.model.Attempt;
import dev.runledger.model.ClaimedAttempt;
import dev.runledger.model.Failure;
import dev.runledger.model.Job;
import dev.runledger.model.Json;
import dev.runledger.model.Run;
import dev.runledger.model.RunStatus;
import dev.runledger.model.Task;
import dev.runledger.model.TaskStatus;
import dev.runledger.store.Effect;
import dev.runledger.store.RunStep;
import dev.runledger.store.Tx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Leases jobs and starts their attempts in the same transaction: the task goes running, the attempt
 * is recorded, the run starts. Inline built-ins are taken instead, run and recorded here, start and
 * end written together. A task whose idempotency key already has a recorded success is not
 * executed: it ends idempotent-replay with the original result when that effect is its action's,
 * and fails (deterministic) when the key is another action's (docs/idempotency.md).
 */
public final class JobClaimer {
  private final StateChanges changes;
  private final RunAdvancer advancer;
  private final Clock clock;
  private final String host;
  private final ChildRuns childRuns;

  public JobClaimer(
      StateChanges changes, RunAdvancer advancer, Clock clock, String host, ChildRuns childRuns) {
    this.changes = changes;
    this.advancer = advancer;
    this.clock = clock;
    this.host = host;
    this.childRuns = childRuns;
  }

  /** Runs a claimed inline job's attempt and records its outcome in the claim's transaction. */
  @FunctionalInterface
  public interface InlineRunner {
    /**
     * Runs the attempt, whose start ({@code claimed.task()} running, {@code started}) is only in
     * memory, and records its outcome with {@link OutcomeRecorder#recordInline}; returns false when
     * it cannot run inline after all (nothing recorded: the claim writes the start and a worker
     * runs it).
     */
    boolean run(Tx tx, ClaimedAttempt claimed, Attempt started);
  }

  /**
   * Claims up to {@code limit} jobs of either kind for {@code owner}; returns the attempts to
   * execute (inline jobs included: the caller runs them). The runs, tasks and recorded effects of
   * the whole batch are read with one statement each.
   */
  public List<ClaimedAttempt> claim(Tx tx, String owner, int limit, Duration lease) {
    Instant now = clock.instant();
    return start(tx, tx.jobs().claim(owner, limit, now, now.plus(lease)), now, null);
  }

  /**
   * Claims up to {@code limit} worker jobs and up to {@code inlineLimit} inline jobs for {@code
   * owner}. The inline jobs' attempts start, run through {@code inline} and have their outcomes
   * recorded here, in this transaction (so they are never running outside it); the attempts
   * returned are those for the workers.
   */
  public List<ClaimedAttempt> claim(
      Tx tx, String owner, int limit, int inlineLimit, Duration lease, InlineRunner inline) {
    Instant now = clock.instant();
    return start(tx, tx.jobs().claim(owner, limit, inlineLimit, now, now.plus(lease)), now, inline);
  }

  /**
   * Starts the claimed jobs' attempts. Each run of the batch is written once at the end (its {@code
   * actionsInvoked} and its move to running, for a fan-out claimed many tasks at a time), or before
   * anything else reads or writes it; an inline attempt's task and attempt rows are written once,
   * with its outcome, and its run is advanced once at the end.
   */
  private List<ClaimedAttempt> start(Tx tx, List<Job> jobs, Instant now, InlineRunner inline) {
    if (jobs.isEmpty()) {
      return List.of();
    }
    List<ClaimedAttempt> started = new ArrayList<>(jobs.size());
    Map<String, Run> runs =
        tx.runs().findAll(jobs.stream().map(Job::runId).collect(Collectors.toSet()));
    Map<String, Task> tasks =
        tx.tasks().findAll(jobs.stream().map(j -> Map.entry(j.runId(), j.taskName())).toList());
    Map<String, Map<String, Effect>> effects = effects(tx, jobs, runs, tasks);
    // Runs changed in memory and not written yet, and runs with inline outcomes to advance.
    Set<String> unsaved = new LinkedHashSet<>();
    Set<String> recorded = new LinkedHashSet<>();
    for (Job job : jobs) {
      Run run = runs.get(job.runId());
      Task task = tasks.get(job.runId() + "/" + job.taskName());
      if (run == null || task == null) {
        throw new IllegalStateException("job " + job.id() + " has no run or task");
      }
      boolean taken = inline != null && job.inline();
      if (job.timerDue() != null && task.status() == TaskStatus.RUNNING) {
        if (taken) {
          tx.jobs().lease(job);
        }
        started.add(new ClaimedAttempt(job, task, run));
        continue;
      }
      if (task.status() != TaskStatus.QUEUED || run.cancel() != null) {
        // Skipped or cancelled between queueing and claiming: nothing to run.
        tx.jobs().finish(job.id(), now);
        continue;
      }
      Effect effect = effects.getOrDefault(run.project(), Map.of()).get(task.idempotencyKey());
      if (effect != null) {
        Run saved = unsaved.remove(run.id()) ? changes.save(tx, run) : run;
        if (effect.sameEffectAs(task)) {
          replay(tx, saved, task, effect, now);
        } else {
          refuseForeignKey(tx, saved, task, effect, now);
        }
        tx.jobs().finish(job.id(), now);
        runs.put(run.id(), advancer.advance(tx, saved));
        continue;
      }
      Run current = run;
      if (task.attempts() == 0) {
        current = current.with(c -> c.actionsInvoked = run.actionsInvoked() + 1);
      }
      if (current.status() == RunStatus.PENDING) {
        current = changes.moveRunInMemory(tx, current, RunStatus.RUNNING, Principals.ENGINE);
      }
      if (current != run) {
        unsaved.add(run.id());
      }
      runs.put(run.id(), current);
      Task running =
          changes.moveTaskInMemory(
              tx,
              current,
              task,
              TaskStatus.RUNNING,
              t ->
                  t.with(
                      c -> {
                        c.attempts = job.attempt();
                        c.startedAt = t.startedAt() == null ? now : t.startedAt();
                      }),
              Principals.ENGINE);
      Attempt attempt =
          new Attempt(
              run.id(), task.name(), job.attempt(), "running", now, null, host, null, null, null);
      ClaimedAttempt claimed = new ClaimedAttempt(job, running, current);
      if (taken && inline.run(tx, claimed, attempt)) {
        recorded.add(run.id());
        continue;
      }
      if (taken) {
        // Taken to run here, not leased (see JobRepository.take): a worker runs it after all.
        tx.jobs().lease(job);
      }
      tx.tasks().update(running);
      tx.runSteps().move(run.id(), task.step(), TaskStatus.QUEUED, TaskStatus.RUNNING);
      tx.attempts().insert(attempt);
      if (ChildRuns.isChild(running)) {
        if (unsaved.remove(run.id())) {
          current = changes.save(tx, current);
        }
        childRuns.start(tx, current, running, job);
        runs.put(run.id(), tx.runs().find(run.id()).orElseThrow());
        continue;
      }
      started.add(claimed);
    }
    finish(tx, runs, unsaved, recorded);
    return started;
  }

  /**
   * Writes the runs changed in memory and advances those with inline outcomes, their steps read
   * with one statement. A run whose end moves its parent (a child run's step) while this claim
   * holds the parent in memory writes the parent first and has it read again before it is advanced.
   */
  private void finish(Tx tx, Map<String, Run> runs, Set<String> unsaved, Set<String> recorded) {
    Set<String> touched = new LinkedHashSet<>(unsaved);
    touched.addAll(recorded);
    Map<String, List<RunStep>> steps =
        recorded.isEmpty() ? Map.of() : tx.runSteps().forRuns(recorded);
    Set<String> stale = new HashSet<>();
    Set<String> done = new HashSet<>();
    for (String runId : touched) {
      boolean reread = stale.contains(runId);
      Run current = reread ? tx.runs().find(runId).orElseThrow() : runs.get(runId);
      done.add(runId);
      String parent = current.parentRun();
      if (parent != null
          && touched.contains(parent)
          && !done.contains(parent)
          && !stale.contains(parent)) {
        if (unsaved.remove(parent)) {
          changes.save(tx, runs.get(parent));
        }
        stale.add(parent);
      }
      Run after = current;
      if (recorded.contains(runId)) {
        after =
            reread
                ? advancer.advance(tx, current)
                : advancer.advance(tx, current, steps.getOrDefault(runId, List.of()));
      }
      if (!reread && unsaved.contains(runId) && after.version() == current.version()) {
        changes.save(tx, after);
      }
    }
  }

  /** Recorded effects of the idempotency keys of the tasks about to run, by project and key. */
  private static Map<String, Map<String, Effect>> effects(
      Tx tx, List<Job> jobs, Map<String, Run> runs, Map<String, Task> tasks) {
    Map<String, Set<String>> keys = new HashMap<>();
    for (Job job : jobs) {
      Run run = runs.get(job.runId());
      Task task = tasks.get(job.runId() + "/" + job.taskName());
      if (run != null && task != null && task.status() == TaskStatus.QUEUED) {
        keys.computeIfAbsent(run.project(), p -> new HashSet<>()).add(task.idempotencyKey());
      }
    }
    Map<String, Map<String, Effect>> effects = new HashMap<>();
    keys.forEach((project, k) -> effects.put(project, tx.effects().findAll(project, k)));
    return effects;
  }

  private void replay(Tx tx, Run run, Task task, Effect effect, Instant now) {
    changes.moveTask(
        tx,
        run,
        task,
        TaskStatus.IDEMPOTENT_REPLAY,
        t ->
            t.with(
                c -> {
                  c.result = effect.result();
                  c.outputs = effect.outputs() == null ? Json.object() : effect.outputs();
                  c.replayOf = effect.origin();
                  c.completedAt = now;
                }),
        Principals.ENGINE);
  }

  /**
   * Fails a task whose key holds another action's effect: replaying it would hand this task an
   * outcome it never had, and running it under that key could make the outside system replay too.
   */
  private void refuseForeignKey(Tx tx, Run run, Task task, Effect effect, Instant now) {
    Failure failure =
        Failure.deterministic(
            "idempotency key '"
                + task.idempotencyKey()
                + "' already holds "
                + effect.describe()
                + ", not of '"
                + task.action()
                + "'; a key replays only its own action's effect, so this task did not run",
            "give the step an idempotencyKey that names this action's effect, or retry the task"
                + " with force and newKey to run it under a new key");
    changes.failTask(tx, run, task, failure, now, t -> t, Principals.ENGINE);
  }
}
