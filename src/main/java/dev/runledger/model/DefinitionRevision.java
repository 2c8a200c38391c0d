package dev.runledger.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** One immutable revision of an action or workflow definition. */
public record DefinitionRevision(
    String project,
    String kind,
    String name,
    int revision,
    String definitionHash,
    JsonNode definition,
    Instant createdAt,
    String createdBy,
    Instant archivedAt) {}
