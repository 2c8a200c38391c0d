package dev.runledger.engine;

import dev.runledger.model.Ids;
import dev.runledger.model.Job;
import dev.runledger.model.JobState;
import dev.runledger.model.Run;
import dev.runledger.model.SkipReason;
import dev.runledger.model.Task;
import dev.runledger.model.TaskStatus;
import dev.runledger.store.StepStatusCount;
import dev.runledger.store.TaskRepository;
import dev.runledger.store.Tx;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies the planner's decision to a run inside the caller's transaction: creates the tasks and
 * jobs of steps that became ready, skips steps that cannot run, and moves the run's status.
 */
public final class RunAdvancer {
  private final StateChanges changes;
  private final TaskPlanner taskPlanner;
  private final Clock clock;
  private final Runnable wakeDispatcher;

  public RunAdvancer(
      StateChanges changes, TaskPlanner taskPlanner, Clock clock, Runnable wakeDispatcher) {
    this.changes = changes;
    this.taskPlanner = taskPlanner;
    this.clock = clock;
    this.wakeDispatcher = wakeDispatcher;
  }

  /**
   * Advances the run as far as it can go now; returns the run as it is afterwards. Reads the run's
   * tasks once (counts per step and status, and the last plan position); tasks it creates are added
   * to that view in memory, so planning again after creating them reads nothing more.
   */
  public Run advance(Tx tx, Run run) {
    if (run.status().isTerminal()) {
      return run;
    }
    RunBlueprint blueprint = taskPlanner.blueprint(tx, run);
    TaskRepository.PlanView view = tx.tasks().planView(run.id());
    List<StepStatusCount> counts = new ArrayList<>(view.counts());
    int seq = view.maxSeq();
    boolean queued = false;
    while (true) {
      PlanDecision decision =
          Planner.plan(blueprint.steps(), progress(counts), run.cancel() != null, run.status());
      if (decision.stepsToStart().isEmpty() && decision.stepsToSkip().isEmpty()) {
        if (queued) {
          tx.afterCommit(wakeDispatcher);
        }
        if (decision.nextStatus() != run.status()) {
          return changes.moveRun(tx, run, decision.nextStatus(), Principals.ENGINE);
        }
        return run;
      }
      Instant now = clock.instant();
      List<Task> created = new ArrayList<>();
      for (String step : decision.stepsToStart()) {
        for (Task task : taskPlanner.tasksOf(tx, run, blueprint, step, seq)) {
          created.add(task);
          seq = Math.max(seq, task.seq());
        }
      }
      for (Map.Entry<String, SkipReason> skip : decision.stepsToSkip().entrySet()) {
        created.add(
            taskPlanner.skippedPlaceholder(
                run, blueprint, skip.getKey(), ++seq, skip.getValue(), now));
      }
      tx.tasks().insertAll(created);
      List<Job> jobs = new ArrayList<>();
      for (Task task : created) {
        changes.taskCreated(tx, run, task, Principals.ENGINE);
        counts.add(new StepStatusCount(task.step(), task.status(), task.skipReason(), 1));
        if (task.status() == TaskStatus.QUEUED) {
          jobs.add(
              new Job(
                  Ids.job(),
                  run.project(),
                  run.id(),
                  task.name(),
                  JobState.QUEUED,
                  0,
                  now,
                  0,
                  null,
                  null,
                  null,
                  null,
                  null,
                  null,
                  false,
                  now,
                  now));
        }
      }
      tx.jobs().insertAll(jobs);
      queued |= !jobs.isEmpty();
      // New tasks may already be terminal (skipped, say): plan again until nothing changes.
    }
  }

  private static Map<String, StepProgress> progress(List<StepStatusCount> counts) {
    Map<String, Map<TaskStatus, Integer>> byStep = new HashMap<>();
    Map<String, Boolean> upstream = new HashMap<>();
    for (StepStatusCount c : counts) {
      byStep
          .computeIfAbsent(c.step(), k -> new EnumMap<>(TaskStatus.class))
          .merge(c.status(), c.count(), Integer::sum);
      if (c.skipReason() == SkipReason.UPSTREAM_FAILED) {
        upstream.put(c.step(), true);
      }
    }
    Map<String, StepProgress> progress = new HashMap<>();
    byStep.forEach(
        (step, m) -> progress.put(step, new StepProgress(m, upstream.getOrDefault(step, false))));
    return progress;
  }
}
