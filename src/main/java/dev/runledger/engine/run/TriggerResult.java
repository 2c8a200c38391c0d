package dev.runledger.engine.run;

import dev.runledger.model.Run;

/**
 * The run a trigger made, or found.
 *
 * @param replayed an earlier trigger with the same Idempotency-Key made this run
 */
public record TriggerResult(Run run, boolean replayed) {}
