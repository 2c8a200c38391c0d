package dev.runledger.store;

import java.time.Instant;

/**
 * One line of an attempt's output; {@code stream} is {@code stdout}, {@code stderr} or {@code
 * system}; {@code number} is its line number within the attempt, from 1 (0 when not known: a line
 * stored before numbers were kept and not numbered by the migration).
 */
public record LogLine(
    long position,
    String runId,
    String taskName,
    int attempt,
    Instant at,
    String stream,
    String line,
    long number) {}
