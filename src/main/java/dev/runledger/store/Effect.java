package dev.runledger.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** A recorded success for an idempotency key: the effect that must not happen twice. */
public record Effect(
    String project,
    String idempotencyKey,
    String runId,
    String taskName,
    JsonNode result,
    JsonNode outputs,
    Instant recordedAt) {}
