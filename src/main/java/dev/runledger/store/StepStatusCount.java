package dev.runledger.store;

import dev.runledger.model.SkipReason;
import dev.runledger.model.TaskStatus;

/** How many tasks of one step are in one status (and skip reason). */
public record StepStatusCount(String step, TaskStatus status, SkipReason skipReason, int count) {}
