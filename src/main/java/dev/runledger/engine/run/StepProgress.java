package dev.runledger.engine.run;

import dev.runledger.model.SkipReason;
import dev.runledger.model.TaskStatus;
import java.util.EnumMap;
import java.util.Map;

/**
 * A step's tasks so far, counted by status, and whether they were all skipped for one reason.
 *
 * @param upstreamSkipped the step was skipped because something it needs failed
 * @param declined {@code approval-rejected} or {@code approval-expired} when an approval decision
 *     skipped some of its tasks, or skipped the step because a step it needs was declined; null
 *     otherwise. Like a failure it stops the steps that need this one; unlike a failure it does not
 *     fail the run.
 */
public record StepProgress(
    Map<TaskStatus, Integer> counts, boolean upstreamSkipped, SkipReason declined) {

  public static StepProgress of(Map<TaskStatus, Integer> counts) {
    return new StepProgress(counts, false, null);
  }

  public static StepProgress skipped(SkipReason reason, int tasks) {
    Map<TaskStatus, Integer> counts = new EnumMap<>(TaskStatus.class);
    counts.put(TaskStatus.SKIPPED, tasks);
    return new StepProgress(
        counts, reason == SkipReason.UPSTREAM_FAILED, reason.isDecision() ? reason : null);
  }

  public int count(TaskStatus status) {
    return counts.getOrDefault(status, 0);
  }

  public int total() {
    return counts.values().stream().mapToInt(Integer::intValue).sum();
  }

  public boolean isDone() {
    for (Map.Entry<TaskStatus, Integer> e : counts.entrySet()) {
      if (!e.getKey().isTerminal() && e.getValue() > 0) {
        return false;
      }
    }
    return true;
  }

  public boolean hasFailures() {
    return count(TaskStatus.FAILED) > 0;
  }

  /**
   * True once one of the step's tasks started or waits for an approval decision: either way the run
   * is under way (a run waiting only for a decision reports {@code running}, so a list of runs
   * shows that someone has to act).
   */
  public boolean isUnderWay() {
    return hasStarted() || count(TaskStatus.AWAITING_APPROVAL) > 0;
  }

  public boolean hasStarted() {
    int notStarted =
        count(TaskStatus.PENDING) + count(TaskStatus.QUEUED) + count(TaskStatus.AWAITING_APPROVAL);
    return total() > notStarted;
  }
}
