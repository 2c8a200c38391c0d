package dev.runledger.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;

/**
 * One step of a workflow.
 *
 * @param with the parameters template (null when none)
 * @param condition the {@code if:} CEL expression, or null
 * @param forEach a template that yields the list of subjects, or null for a single task
 * @param retry null to use the action's policy
 * @param approval the approval gate as written, or null
 */
public record WorkflowStep(
    String id,
    StepTarget uses,
    JsonNode with,
    List<String> needs,
    String condition,
    String forEach,
    String subjectKey,
    String idempotencyKey,
    RetryPolicy retry,
    Duration timeout,
    boolean continueOnError,
    JsonNode approval) {}
