package dev.runledger.store;

import dev.runledger.model.TaskStatus;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * Task moves between status counters of run steps, added up in a unit of work and written as one
 * update per step: the tasks of a fan-out that a claim runs inline move the same step's counters
 * hundreds of times. Written before anything reads or writes the counters, and when the unit ends.
 */
final class StepCountMoves {
  private Map<String, Map<TaskStatus, Integer>> deltas = new LinkedHashMap<>();

  void move(String runId, String step, TaskStatus from, TaskStatus to) {
    Map<TaskStatus, Integer> d =
        deltas.computeIfAbsent(runId + '\u0000' + step, k -> new EnumMap<>(TaskStatus.class));
    d.merge(from, -1, Integer::sum);
    d.merge(to, 1, Integer::sum);
  }

  /** A copy of the moves so far, for {@link #restore} when a nested savepoint rolls back. */
  Object mark() {
    Map<String, Map<TaskStatus, Integer>> copy = new LinkedHashMap<>();
    deltas.forEach((k, v) -> copy.put(k, new EnumMap<>(v)));
    return copy;
  }

  @SuppressWarnings("unchecked")
  void restore(Object mark) {
    deltas = (Map<String, Map<TaskStatus, Integer>>) mark;
  }

  /** Writes the moves added up so far. */
  void flush(Handle h, PendingWrites later) {
    if (deltas.isEmpty()) {
      return;
    }
    Map<String, Map<TaskStatus, Integer>> pending = deltas;
    deltas = new LinkedHashMap<>();
    pending.forEach(
        (key, d) -> {
          int sep = key.indexOf('\u0000');
          RunStepRepository.add(h, later, key.substring(0, sep), key.substring(sep + 1), d);
        });
  }
}
