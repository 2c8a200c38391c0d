package dev.runledger.store;

import java.time.Instant;

/**
 * Filters of the audit listing; null means no filter. {@code project} null means every project.
 *
 * @param includeSystem whether events of the system scope (no project: tokens, pruned artifact
 *     bytes, events written before every event had a scope) are listed too; only principals that
 *     see every project see them
 */
public record AuditFilter(
    String project,
    Instant since,
    Instant until,
    String actor,
    String type,
    String runId,
    boolean includeSystem) {

  /** A filter that includes the system scope. */
  public AuditFilter(
      String project, Instant since, Instant until, String actor, String type, String runId) {
    this(project, since, until, actor, type, runId, true);
  }
}
