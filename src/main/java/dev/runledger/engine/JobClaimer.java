package dev.runledger.engine;

import dev.runledger.model.Attempt;
import dev.runledger.model.Job;
import dev.runledger.model.Json;
import dev.runledger.model.Run;
import dev.runledger.model.RunStatus;
import dev.runledger.model.Task;
import dev.runledger.model.TaskStatus;
import dev.runledger.store.Effect;
import dev.runledger.store.Tx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Leases jobs and starts their attempts in the same transaction: the task goes running, the attempt
 * is recorded, the run starts. A task whose idempotency key already has a recorded success is not
 * executed: it ends idempotent-replay with the original result.
 */
public final class JobClaimer {
  private final StateChanges changes;
  private final RunAdvancer advancer;
  private final Clock clock;
  private final String host;

  public JobClaimer(StateChanges changes, RunAdvancer advancer, Clock clock, String host) {
    this.changes = changes;
    this.advancer = advancer;
    this.clock = clock;
    this.host = host;
  }

  /** Claims up to {@code limit} jobs for {@code owner}; returns the attempts to execute. */
  public List<ClaimedAttempt> claim(Tx tx, String owner, int limit, Duration lease) {
    Instant now = clock.instant();
    List<Job> jobs = tx.jobs().claim(owner, limit, now, now.plus(lease));
    List<ClaimedAttempt> started = new ArrayList<>(jobs.size());
    Map<String, Run> runs = new HashMap<>();
    for (Job job : jobs) {
      Run run = runs.computeIfAbsent(job.runId(), id -> tx.runs().find(id).orElseThrow());
      Task task = tx.tasks().find(job.runId(), job.taskName()).orElseThrow();
      if (job.timerDue() != null && task.status() == TaskStatus.RUNNING) {
        started.add(new ClaimedAttempt(job, task, run));
        continue;
      }
      if (task.status() != TaskStatus.QUEUED || run.cancel() != null) {
        // Skipped or cancelled between queueing and claiming: nothing to run.
        tx.jobs().finish(job.id(), now);
        continue;
      }
      Optional<Effect> effect = tx.effects().find(run.project(), task.idempotencyKey());
      if (effect.isPresent()) {
        Run after = replay(tx, run, task, effect.get(), now);
        tx.jobs().finish(job.id(), now);
        runs.put(run.id(), advancer.advance(tx, after));
        continue;
      }
      Run current = run;
      if (run.status() == RunStatus.PENDING) {
        current = changes.moveRun(tx, run, RunStatus.RUNNING, Principals.ENGINE);
      }
      if (task.attempts() == 0) {
        Run counted = current;
        current =
            changes.save(tx, counted.with(c -> c.actionsInvoked = counted.actionsInvoked() + 1));
      }
      runs.put(run.id(), current);
      Task running =
          changes.moveTask(
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
      tx.attempts()
          .insert(
              new Attempt(
                  run.id(),
                  task.name(),
                  job.attempt(),
                  "running",
                  now,
                  null,
                  host,
                  null,
                  null,
                  null));
      started.add(new ClaimedAttempt(job, running, current));
    }
    return started;
  }

  private Run replay(Tx tx, Run run, Task task, Effect effect, Instant now) {
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
                  c.completedAt = now;
                }),
        Principals.ENGINE);
    return run;
  }
}
