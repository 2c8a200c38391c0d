package dev.runledger.engine.queue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runledger.executor.AttemptResult;

/**
 * What an attempt came to, ready to record: the executor's result with outputs masked, the rendered
 * result reference, and (on a broken output contract) the failure that replaces success; with the
 * attempt's evidence when it ran on this node.
 */
public record Outcome(AttemptResult result, JsonNode resultRef, Evidence evidence) {
  public Outcome(AttemptResult result, JsonNode resultRef) {
    this(result, resultRef, null);
  }
}
