package dev.runledger.engine.run;

import dev.runledger.model.RunStatus;
import dev.runledger.model.SkipReason;
import dev.runledger.model.TaskStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The workflow semantics as a pure function: given the steps, the tasks so far (counted per step)
 * and whether a cancel was asked for, it decides which steps start, which are skipped and the run's
 * next status (DESIGN.md §2). No I/O; the run advancer applies the decision.
 */
final class Planner {
  private Planner() {}

  /**
   * Plans the next move of a run.
   *
   * @param steps the steps in definition order
   * @param progress the steps that have tasks, by id
   * @param cancelRequested a cancel or abort was asked for
   * @param current the run's current status
   */
  public static PlanDecision plan(
      List<StepSpec> steps,
      Map<String, StepProgress> progress,
      boolean cancelRequested,
      RunStatus current) {
    Map<String, StepProgress> known = new HashMap<>(progress);
    List<String> start = new ArrayList<>();
    Map<String, SkipReason> skip = new LinkedHashMap<>();
    boolean changed = true;
    // Skips propagate through the DAG within one pass: repeat until nothing new is decided.
    while (changed) {
      changed = false;
      for (StepSpec step : steps) {
        if (known.containsKey(step.id()) || start.contains(step.id())) {
          continue;
        }
        if (cancelRequested) {
          skip.put(step.id(), SkipReason.RUN_CANCELLED);
          known.put(step.id(), StepProgress.skipped(SkipReason.RUN_CANCELLED, 1));
          changed = true;
          continue;
        }
        Readiness readiness = readiness(step, steps, known);
        if (readiness == Readiness.READY) {
          start.add(step.id());
        } else if (readiness.skip() != null) {
          skip.put(step.id(), readiness.skip());
          known.put(step.id(), StepProgress.skipped(readiness.skip(), 1));
          changed = true;
        }
      }
    }
    RunStatus next = nextStatus(steps, known, start, cancelRequested, current);
    return new PlanDecision(start, skip, next);
  }

  /** Whether a step can start now, or why it never will ({@code skip}). */
  private record Readiness(boolean ready, SkipReason skip) {
    static final Readiness WAITING = new Readiness(false, null);
    static final Readiness READY = new Readiness(true, null);

    static Readiness skipped(SkipReason reason) {
      return new Readiness(false, reason);
    }
  }

  private static Readiness readiness(
      StepSpec step, List<StepSpec> steps, Map<String, StepProgress> known) {
    boolean allDone = true;
    for (String need : step.needs()) {
      StepProgress p = known.get(need);
      if (p == null || !p.isDone()) {
        allDone = false;
        continue;
      }
      boolean continueOnError =
          steps.stream().filter(s -> s.id().equals(need)).anyMatch(StepSpec::continueOnError);
      if (p.upstreamSkipped() || (p.hasFailures() && !continueOnError)) {
        return Readiness.skipped(SkipReason.UPSTREAM_FAILED);
      }
      // A rejected or expired approval stops what needs its step, as a failure would.
      if (p.declined() != null && !continueOnError) {
        return Readiness.skipped(p.declined());
      }
    }
    return allDone ? Readiness.READY : Readiness.WAITING;
  }

  private static RunStatus nextStatus(
      List<StepSpec> steps,
      Map<String, StepProgress> known,
      List<String> start,
      boolean cancelRequested,
      RunStatus current) {
    boolean allPlanned = start.isEmpty() && steps.stream().allMatch(s -> known.containsKey(s.id()));
    boolean allDone = allPlanned && known.values().stream().allMatch(StepProgress::isDone);
    if (!allDone) {
      boolean underWay = known.values().stream().anyMatch(StepProgress::isUnderWay);
      if (current == RunStatus.PENDING && !underWay) {
        return RunStatus.PENDING;
      }
      return RunStatus.RUNNING;
    }
    if (cancelRequested) {
      return RunStatus.CANCELLED;
    }
    int failed = 0;
    int succeeded = 0;
    boolean failureStoppedDependents = false;
    for (StepProgress p : known.values()) {
      failed += p.count(TaskStatus.FAILED);
      succeeded += p.count(TaskStatus.SUCCEEDED) + p.count(TaskStatus.IDEMPOTENT_REPLAY);
      failureStoppedDependents |= p.upstreamSkipped();
    }
    if (failed == 0) {
      return RunStatus.COMPLETED;
    }
    if (failureStoppedDependents || succeeded == 0) {
      return RunStatus.FAILED;
    }
    return RunStatus.COMPLETED_WITH_FAILURES;
  }
}
