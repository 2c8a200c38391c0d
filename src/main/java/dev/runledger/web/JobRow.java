package dev.runledger.web;

import dev.runledger.model.Job;
import dev.runledger.model.JobState;
import dev.runledger.model.Run;
import dev.runledger.model.Task;
import java.time.Instant;

/**
 * One job of the queue as the Jobs page shows it: the task it drives and its run, the attempt, and
 * either its worker, heartbeat and progress (running) or how long it has waited and why (queued).
 *
 * @param percent the progress the attempt reported, or null when it reported none
 * @param waiting how long a queued job has been available ({@code 2 min 05 s}), or null while it is
 *     not yet due
 * @param due when a queued job becomes available (a retry's backoff, a timer), or null when it is
 * @param stale whether a running job's lease has expired (its worker may be lost)
 */
public record JobRow(
    String id,
    String taskName,
    String taskHref,
    String runId,
    String runHref,
    String definition,
    String kind,
    String action,
    int attempt,
    String worker,
    String heartbeat,
    String heartbeatAt,
    String heartbeatIso,
    Integer percent,
    String message,
    String waiting,
    String waitingSince,
    String due,
    boolean timer,
    boolean stale,
    boolean abortRequested) {

  static JobRow of(Job j, Task task, Run run, Instant now) {
    boolean queued = j.state() == JobState.QUEUED;
    boolean notYet = queued && j.availableAt() != null && j.availableAt().isAfter(now);
    Instant beat = j.heartbeatAt() != null ? j.heartbeatAt() : j.updatedAt();
    return new JobRow(
        j.id(),
        j.taskName(),
        Links.task(j.runId(), j.taskName()),
        j.runId(),
        Links.run(j.runId()),
        run == null ? null : run.definitionName(),
        run == null ? null : run.definitionKind(),
        task == null ? null : task.action(),
        j.attempt(),
        j.leaseOwner(),
        queued ? null : Formats.age(beat, now),
        Formats.absolute(beat),
        Formats.iso(beat),
        j.progressPercent(),
        j.progressMessage() == null || j.progressMessage().isBlank() ? null : j.progressMessage(),
        queued && !notYet ? Formats.age(j.availableAt(), now) : null,
        Formats.absolute(j.availableAt()),
        notYet ? Formats.relative(j.availableAt(), now) : null,
        j.timerDue() != null,
        !queued && j.leaseExpiresAt() != null && j.leaseExpiresAt().isBefore(now),
        j.abortRequested());
  }

  /** What the page says of the attempt number: {@code 1st}, {@code 2nd (retry)}, ... */
  public String attemptText() {
    return attempt <= 1 ? String.valueOf(Math.max(attempt, 1)) : attempt + " (retry)";
  }
}
