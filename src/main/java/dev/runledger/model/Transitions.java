package dev.runledger.model;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/** The one table of allowed status changes for runs and tasks, and the guard that consults it. */
public final class Transitions {
  private static final Map<TaskStatus, Set<TaskStatus>> TASK = new EnumMap<>(TaskStatus.class);
  private static final Map<RunStatus, Set<RunStatus>> RUN = new EnumMap<>(RunStatus.class);

  static {
    TASK.put(
        TaskStatus.PENDING,
        EnumSet.of(
            TaskStatus.AWAITING_APPROVAL,
            TaskStatus.QUEUED,
            TaskStatus.SKIPPED,
            TaskStatus.FAILED,
            TaskStatus.IDEMPOTENT_REPLAY));
    TASK.put(TaskStatus.AWAITING_APPROVAL, EnumSet.of(TaskStatus.QUEUED, TaskStatus.SKIPPED));
    TASK.put(
        TaskStatus.QUEUED,
        EnumSet.of(
            TaskStatus.RUNNING,
            TaskStatus.SKIPPED,
            TaskStatus.FAILED,
            TaskStatus.IDEMPOTENT_REPLAY));
    TASK.put(
        TaskStatus.RUNNING,
        EnumSet.of(
            TaskStatus.SUCCEEDED,
            TaskStatus.FAILED,
            TaskStatus.QUEUED,
            TaskStatus.IDEMPOTENT_REPLAY));
    // A manual retry gives a failed task a new attempt inside the same run.
    TASK.put(TaskStatus.FAILED, EnumSet.of(TaskStatus.QUEUED));
    TASK.put(TaskStatus.SUCCEEDED, EnumSet.noneOf(TaskStatus.class));
    TASK.put(TaskStatus.SKIPPED, EnumSet.noneOf(TaskStatus.class));
    TASK.put(TaskStatus.IDEMPOTENT_REPLAY, EnumSet.noneOf(TaskStatus.class));

    Set<RunStatus> terminal =
        EnumSet.of(
            RunStatus.COMPLETED,
            RunStatus.COMPLETED_WITH_FAILURES,
            RunStatus.FAILED,
            RunStatus.CANCELLED);
    EnumSet<RunStatus> fromPending = EnumSet.copyOf(terminal);
    fromPending.add(RunStatus.RUNNING);
    RUN.put(RunStatus.PENDING, fromPending);
    RUN.put(RunStatus.RUNNING, EnumSet.copyOf(terminal));
    // A manual retry re-opens a run whose tasks failed.
    RUN.put(RunStatus.COMPLETED_WITH_FAILURES, EnumSet.of(RunStatus.RUNNING));
    RUN.put(RunStatus.FAILED, EnumSet.of(RunStatus.RUNNING));
    RUN.put(RunStatus.COMPLETED, EnumSet.noneOf(RunStatus.class));
    RUN.put(RunStatus.CANCELLED, EnumSet.noneOf(RunStatus.class));
  }

  private Transitions() {}

  public static boolean allowed(TaskStatus from, TaskStatus to) {
    return TASK.get(from).contains(to);
  }

  public static boolean allowed(RunStatus from, RunStatus to) {
    return RUN.get(from).contains(to);
  }

  /** Throws when a task may not move from {@code from} to {@code to}. */
  public static void check(String task, TaskStatus from, TaskStatus to) {
    if (!allowed(from, to)) {
      throw new IllegalTransitionException(
          "task " + task + " cannot go from " + from.wire() + " to " + to.wire());
    }
  }

  /** Throws when a run may not move from {@code from} to {@code to}. */
  public static void check(String run, RunStatus from, RunStatus to) {
    if (!allowed(from, to)) {
      throw new IllegalTransitionException(
          "run " + run + " cannot go from " + from.wire() + " to " + to.wire());
    }
  }
}
