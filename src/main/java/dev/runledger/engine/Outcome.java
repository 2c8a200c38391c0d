package dev.runledger.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runledger.executor.AttemptResult;

/**
 * What an attempt came to, ready to record: the executor's result with outputs masked, the rendered
 * result reference, and (on a broken output contract) the failure that replaces success.
 */
public record Outcome(AttemptResult result, JsonNode resultRef) {}
