package dev.runledger.engine.evidence;

import dev.runledger.audit.AuditLog;
import dev.runledger.engine.Principals;
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

  /**
   * Contents stored more recently than this are left alone: their bytes are written just before the
   * outcome that records them (in its own transaction), so a content with no artifact yet may be
   * one whose outcome is on its way.
   */
  public static final Duration STORE_GRACE = Duration.ofHours(1);

  private final Store store;
  private final BlobStore blobs;
  private final AuditLog audit;
  private final Clock clock;
  private final Duration retainLogs;
  private final Duration retainArtifacts;

  /**
   * What one pass deleted.
   *
   * @param orphanBlobs contents no artifact refers to (bytes of a discarded outcome), deleted
   */
  public record Pruned(int runsWithLogs, int logLines, int blobs, int orphanBlobs) {}

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

  /** Whether a retention period is set; the pass also sweeps orphaned contents without one. */
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
      Instant storedBefore = clock.instant().minus(STORE_GRACE);
      List<String> due;
      do {
        due = store.read(tx -> tx.blobs().prunable(cutoff, storedBefore, BATCH));
        for (String sha : due) {
          if (pruneBlob(sha, cutoff, storedBefore)) {
            blobCount++;
          }
        }
      } while (due.size() == BATCH);
    }
    int orphans = sweepOrphans();
    if (runs + blobCount + orphans > 0) {
      LOG.info(
          "retention: deleted the logs of {} runs, {} artifact contents and {} orphaned contents",
          runs,
          blobCount,
          orphans);
    }
    return new Pruned(runs, lines, blobCount, orphans);
  }

  /**
   * Prunes one content decided on earlier, if it still qualifies inside the deleting transaction: a
   * run may have stored the same content since the decision (its store claims the row, see {@link
   * BlobStore#put}). The bytes go in the same transaction, after the mark: a store that finds the
   * mark writes them again, and a crash in between leaves bytes to delete again, never a record of
   * bytes that are gone. Returns whether it pruned.
   */
  boolean pruneBlob(String sha, Instant cutoff, Instant storedBefore) {
    return store.writeAndWait(
        tx -> {
          Instant now = clock.instant();
          if (!tx.blobs().markPruned(sha, now, cutoff, storedBefore)) {
            return false;
          }
          tx.retention().markArtifactsPruned(sha, now);
          audit
              .event("artifact.pruned", Principals.ENGINE)
              .target(sha)
              .details(Json.object().put("retainArtifacts", retainArtifacts.toString()))
              .append(tx);
          // After the commit: this unit may run twice (see Store#write), and bytes must not go
          // before the row that says they are gone.
          tx.afterCommit(() -> deleteBytes(sha));
          return true;
        });
  }

  /**
   * Deletes contents no artifact refers to that were stored longer ago than {@link #STORE_GRACE}:
   * bytes written for an outcome that was then discarded (on PostgreSQL they are written in their
   * own transaction before it). Not evidence of anything, so no audit event; runs with or without a
   * retention period.
   */
  int sweepOrphans() {
    Instant storedBefore = clock.instant().minus(STORE_GRACE);
    int deleted = 0;
    List<String> due;
    do {
      due = store.read(tx -> tx.blobs().orphans(storedBefore, BATCH));
      for (String sha : due) {
        boolean gone =
            store.writeAndWait(
                tx -> {
                  if (!tx.blobs().deleteOrphan(sha, storedBefore)) {
                    return false;
                  }
                  tx.afterCommit(() -> deleteBytes(sha));
                  return true;
                });
        if (gone) {
          deleted++;
        }
      }
    } while (due.size() == BATCH);
    return deleted;
  }

  private void deleteBytes(String sha) {
    try {
      blobs.delete(sha);
    } catch (IOException e) {
      // The row says gone; a store of the same content writes the bytes again over these.
      LOG.warn("could not delete the bytes of {}: {}", sha, e.getMessage());
    }
  }
}
