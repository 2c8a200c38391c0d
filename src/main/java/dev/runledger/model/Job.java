package dev.runledger.model;

import java.time.Instant;

/**
 * The queue entry that drives a task's attempts. An {@code inline} job's action is a built-in that
 * ends at once ({@code noop}, {@code log}, {@code fail}): the claim runs it and records its outcome
 * in the claim's own transaction, without a worker thread.
 */
public record Job(
    String id,
    String project,
    String runId,
    String taskName,
    JobState state,
    int priority,
    Instant availableAt,
    int attempt,
    String leaseOwner,
    Instant leaseExpiresAt,
    Instant heartbeatAt,
    Instant timerDue,
    Integer progressPercent,
    String progressMessage,
    boolean abortRequested,
    Instant createdAt,
    Instant updatedAt,
    boolean inline) {

  /**
   * A new queued job for a task, available now. {@code inline}: its action is a built-in that ends
   * at once, run by the claim itself instead of a worker thread.
   */
  public static Job queued(
      String id, String project, String runId, String taskName, Instant now, boolean inline) {
    return new Job(
        id,
        project,
        runId,
        taskName,
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
        now,
        inline);
  }
}
