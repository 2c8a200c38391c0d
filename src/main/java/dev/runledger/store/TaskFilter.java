package dev.runledger.store;

import dev.runledger.model.TaskStatus;
import java.time.Instant;
import java.util.List;

/**
 * Filters of the listing of tasks across a project's runs; null or empty means no filter.
 *
 * @param action the task's action
 * @param triggeredBy the principal that triggered the task's run
 * @param since tasks planned at or after this time
 * @param until tasks planned before this time
 */
public record TaskFilter(
    String project,
    List<TaskStatus> statuses,
    String action,
    String triggeredBy,
    Instant since,
    Instant until) {}
