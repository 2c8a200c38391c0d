package dev.runledger.model;

import java.time.Instant;

/** One try of a task. {@code status} is {@code running}, {@code succeeded} or {@code failed}. */
public record Attempt(
    String runId,
    String taskName,
    int number,
    String status,
    Instant startedAt,
    Instant endedAt,
    String host,
    Integer exitCode,
    Integer httpStatus,
    String error) {}
