package dev.runledger.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;

/**
 * A validated action definition.
 *
 * @param kind {@code command}, {@code http} or {@code builtin}
 * @param spec the kind's section of the definition as written (templates not yet rendered)
 * @param inputs JSON Schema of the parameters, or null
 * @param outputsSchema JSON Schema of the outputs, or null
 * @param result expression template of the result reference, or null
 * @param timeout null when the definition sets none
 */
public record ActionDefinition(
    String project,
    String name,
    String description,
    JsonNode inputs,
    String kind,
    JsonNode spec,
    JsonNode outputsSchema,
    String result,
    Duration timeout,
    RetryPolicy retry) {}
