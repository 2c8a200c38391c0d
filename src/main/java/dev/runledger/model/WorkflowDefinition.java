package dev.runledger.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A validated workflow definition.
 *
 * @param on the triggers as written ({@code manual}, {@code schedule}, {@code events})
 * @param review {@code required} or {@code none}
 * @param concurrencyLimit null when unlimited
 */
public record WorkflowDefinition(
    String project,
    String name,
    String description,
    JsonNode inputs,
    JsonNode on,
    String review,
    Integer concurrencyLimit,
    List<WorkflowStep> steps) {

  /** Whether a person (API, CLI, web) may start it. */
  public boolean manual() {
    return on == null || !on.has("manual") || on.get("manual").asBoolean(true);
  }
}
