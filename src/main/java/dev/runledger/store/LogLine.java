package dev.runledger.store;

import java.time.Instant;

/**
 * One line of an attempt's output; {@code stream} is {@code stdout}, {@code stderr} or {@code
 * system}; {@code number} is its line number within the attempt, from 1 (given by the attempt's log
 * buffer as the line is written; V18 numbered the lines stored before).
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
