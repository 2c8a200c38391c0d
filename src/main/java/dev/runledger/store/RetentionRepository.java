package dev.runledger.store;

import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Handle;

/** What retention deletes: logs of runs ended long ago, and marks that it did. */
public final class RetentionRepository {
  private final Handle h;

  RetentionRepository(Handle h) {
    this.h = h;
  }

  /** Runs ended before {@code cutoff} whose logs are still kept. */
  public List<String> runsWithLogsEndedBefore(Instant cutoff, int limit) {
    return h.createQuery(
            "SELECT id FROM runs WHERE completed_at < :cutoff AND logs_pruned_at IS NULL"
                + " ORDER BY completed_at LIMIT :limit")
        .bind("cutoff", Micros.of(cutoff))
        .bind("limit", limit)
        .mapTo(String.class)
        .list();
  }

  /** Deletes a run's logs and marks it; returns the lines deleted. */
  public int pruneLogs(String runId, Instant now) {
    int lines =
        h.createUpdate("DELETE FROM task_logs WHERE run_id = :run").bind("run", runId).execute();
    h.createUpdate("UPDATE runs SET logs_pruned_at = :at WHERE id = :run")
        .bind("at", Micros.of(now))
        .bind("run", runId)
        .execute();
    return lines;
  }

  /** Marks the runs that recorded this content as having had artifact bytes pruned. */
  public void markArtifactsPruned(String sha256, Instant now) {
    h.createUpdate(
            "UPDATE runs SET artifacts_pruned_at = :at WHERE artifacts_pruned_at IS NULL AND id IN"
                + " (SELECT run_id FROM artifacts WHERE sha256 = :sha)")
        .bind("at", Micros.of(now))
        .bind("sha", sha256)
        .execute();
  }

  /** When retention deleted a run's logs and (some of) its artifact bytes; null when it did not. */
  public record Pruning(Instant logs, Instant artifacts) {
    public static final Pruning NONE = new Pruning(null, null);
  }

  /** What retention deleted of a run, and when. */
  public Pruning pruning(String runId) {
    return h.createQuery("SELECT logs_pruned_at, artifacts_pruned_at FROM runs WHERE id = :run")
        .bind("run", runId)
        .map(
            (rs, ctx) ->
                new Pruning(
                    Rows.instant(rs, "logs_pruned_at"), Rows.instant(rs, "artifacts_pruned_at")))
        .findOne()
        .orElse(Pruning.NONE);
  }

  /** When the run's logs were deleted, or null. */
  public Instant logsPrunedAt(String runId) {
    return h.createQuery("SELECT logs_pruned_at FROM runs WHERE id = :run")
        .bind("run", runId)
        .map((rs, ctx) -> Rows.instant(rs, "logs_pruned_at"))
        .findOne()
        .orElse(null);
  }
}
