package dev.runledger.engine;

import dev.runledger.audit.AuditLog;
import dev.runledger.model.Json;
import dev.runledger.store.BlobStore;
import dev.runledger.store.Store;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes evidence bytes past their retention period: the logs of runs that ended longer ago than
 * {@code retainLogs}, and artifact bytes that no run ended within {@code retainArtifacts} (or still
 * running) refers to. Runs, tasks, artifact records and audit events stay, marked as pruned; each
 * deletion is itself an audit event. Never deletes an audit event.
 */
public final class RetentionJob {
  private static final Logger LOG = LoggerFactory.getLogger(RetentionJob.class);
  private static final int BATCH = 200;

  private final Store store;
  private final BlobStore blobs;
  private final AuditLog audit;
  private final Clock clock;
  private final Duration retainLogs;
  private final Duration retainArtifacts;

  /** What one pass deleted. */
  public record Pruned(int runsWithLogs, int logLines, int blobs) {}

  public RetentionJob(
      Store store,
      BlobStore blobs,
      AuditLog audit,
      Clock clock,
      Duration retainLogs,
      Duration retainArtifacts) {
    this.store = store;
    this.blobs = blobs;
    this.audit = audit;
    this.clock = clock;
    this.retainLogs = retainLogs;
    this.retainArtifacts = retainArtifacts;
  }

  public boolean enabled() {
    return retainLogs != null || retainArtifacts != null;
  }

  /** One pass over everything due. */
  public Pruned pruneNow() {
    int runs = 0;
    int lines = 0;
    int blobCount = 0;
    if (retainLogs != null) {
      Instant cutoff = clock.instant().minus(retainLogs);
      List<String> due;
      do {
        due = store.read(tx -> tx.retention().runsWithLogsEndedBefore(cutoff, BATCH));
        for (String runId : due) {
          lines +=
              store.writeAndWait(
                  tx -> {
                    Instant now = clock.instant();
                    int n = tx.retention().pruneLogs(runId, now);
                    audit
                        .event("run.logs-pruned", Principals.ENGINE)
                        .project(tx.runs().find(runId).map(r -> r.project()).orElse(null))
                        .run(runId)
                        .details(
                            Json.object().put("lines", n).put("retainLogs", retainLogs.toString()))
                        .append(tx);
                    return n;
                  });
          runs++;
        }
      } while (due.size() == BATCH);
    }
    if (retainArtifacts != null) {
      Instant cutoff = clock.instant().minus(retainArtifacts);
      List<String> due;
      do {
        due = store.read(tx -> tx.blobs().prunable(cutoff, BATCH));
        for (String sha : due) {
          // Marked first: a crash between leaves a record saying pruned and bytes to delete
          // again, never a record promising bytes that are gone.
          store.writeAndWait(
              tx -> {
                Instant now = clock.instant();
                tx.blobs().markPruned(sha, now);
                tx.retention().markArtifactsPruned(sha, now);
                audit
                    .event("artifact.pruned", Principals.ENGINE)
                    .target(sha)
                    .details(Json.object().put("retainArtifacts", retainArtifacts.toString()))
                    .append(tx);
                return null;
              });
          try {
            blobs.delete(sha);
          } catch (IOException e) {
            LOG.warn("could not delete the bytes of {}: {}", sha, e.getMessage());
          }
          blobCount++;
        }
      } while (due.size() == BATCH);
    }
    if (runs + blobCount > 0) {
      LOG.info("retention: deleted the logs of {} runs and {} artifact contents", runs, blobCount);
    }
    return new Pruned(runs, lines, blobCount);
  }
}
