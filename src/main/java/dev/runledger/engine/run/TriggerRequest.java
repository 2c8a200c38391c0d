package dev.runledger.engine.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runledger.model.Principal;

/**
 * A request to start a run.
 *
 * @param source {@code api}, {@code cli} or {@code web} for manual triggers
 * @param idempotencyKey the trigger's Idempotency-Key header, or null
 */
public record TriggerRequest(
    String project,
    String name,
    JsonNode parameters,
    JsonNode labels,
    Principal principal,
    String source,
    String idempotencyKey) {}
