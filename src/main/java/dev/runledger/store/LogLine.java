package dev.runledger.store;

import java.time.Instant;

/**
 * One line of an attempt's output; {@code stream} is {@code stdout}, {@code stderr} or {@code
 * system}.
 */
public record LogLine(
    long position,
    String runId,
    String taskName,
    int attempt,
    Instant at,
    String stream,
    String line) {}
