package dev.runledger.store;

import java.time.Instant;

/** Filters of the audit listing; null means no filter. {@code project} null means every project. */
public record AuditFilter(
    String project, Instant since, Instant until, String actor, String type, String runId) {}
