package dev.runledger.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * An append-only record of a state change or a human or API action. {@code seq}, {@code prevHash}
 * and {@code hash} are null until the sealer has chained the event.
 */
public record AuditEvent(
    String id,
    Long seq,
    Instant at,
    String project,
    String actor,
    String type,
    String runId,
    String taskName,
    String target,
    JsonNode details,
    String prevHash,
    String hash) {}
