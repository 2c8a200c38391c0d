package dev.runledger.store;

import java.time.Instant;
import java.util.Map;

/**
 * What a report counts: runs of a project created in {@code [from, to)}, optionally only of one
 * workflow, one trigger type, and with every label given; null or empty means no filter.
 */
public record ReportFilter(
    String project,
    Instant from,
    Instant to,
    String workflow,
    String triggerType,
    Map<String, String> labels) {}
