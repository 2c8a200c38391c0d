package dev.runledger.store;

import dev.runledger.model.SkipReason;
import dev.runledger.model.TaskStatus;
import java.util.EnumMap;
import java.util.Map;

/**
 * A step of a run: how far its tasks are planned and how many are in each status.
 *
 * @param state {@code planning} while pages of its tasks remain to be created, then {@code planned}
 * @param planned how many of its tasks (subjects) are created so far
 * @param total how many it has in all, once known
 * @param declined the approval decision that skipped some of its tasks, or the step itself because
 *     a step it needs was declined (see {@code StepProgress}); null otherwise
 */
public record RunStep(
    String runId,
    String step,
    int position,
    String state,
    int planned,
    Integer total,
    boolean upstreamSkipped,
    Map<TaskStatus, Integer> counts,
    SkipReason declined) {

  public boolean isPlanning() {
    return state.equals("planning");
  }

  /** The tasks of all {@code steps} per status (every status, zero when none; none for null). */
  public static Map<TaskStatus, Integer> sum(java.util.List<RunStep> steps) {
    Map<TaskStatus, Integer> total = emptyCounts();
    if (steps != null) {
      for (RunStep s : steps) {
        s.counts().forEach((k, v) -> total.merge(k, v, Integer::sum));
      }
    }
    return total;
  }

  public static Map<TaskStatus, Integer> emptyCounts() {
    Map<TaskStatus, Integer> m = new EnumMap<>(TaskStatus.class);
    for (TaskStatus s : TaskStatus.values()) {
      m.put(s, 0);
    }
    return m;
  }
}
