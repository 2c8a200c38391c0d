package dev.runledger.engine.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runledger.model.Failure;
import dev.runledger.model.SkipReason;
import dev.runledger.model.TaskStatus;

/**
 * A task as the step expander planned it, before it is stored.
 *
 * @param status {@code QUEUED}, {@code AWAITING_APPROVAL}, {@code SKIPPED} (condition false) or
 *     {@code FAILED} (its parameters could not be made)
 */
record PlannedTask(
    String name,
    String subjectKey,
    JsonNode subject,
    JsonNode parameters,
    String idempotencyKey,
    TaskStatus status,
    SkipReason skipReason,
    Failure failure) {}
