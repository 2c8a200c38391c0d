package dev.runledger.model;

import java.time.Instant;

/** The queue entry that drives a task's attempts. */
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
    Instant updatedAt) {}
