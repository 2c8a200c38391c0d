package dev.runledger.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** The {@code blobs} table: one row per distinct content, with its bytes on PostgreSQL. */
public final class BlobRepository {
  private final Handle h;

  BlobRepository(Handle h) {
    this.h = h;
  }

  /** What is known of one content. */
  public record BlobInfo(String sha256, long size, Instant createdAt, Instant prunedAt) {}

  /**
   * Records the content as present: its bytes were just stored (on disk, or here by {@link
   * #putContent}), so a content pruned earlier is present again.
   */
  public void ensure(String sha256, long size, Instant now) {
    h.createUpdate(
            "INSERT INTO blobs (sha256, size, created_at) VALUES (:sha, :size, :at)"
                + " ON CONFLICT (sha256) DO UPDATE SET pruned_at = NULL")
        .bind("sha", sha256)
        .bind("size", size)
        .bind("at", Micros.of(now))
        .execute();
  }

  /** Stores the bytes in the database (a store shared by several nodes). */
  public void putContent(String sha256, byte[] content, Instant now) {
    h.createUpdate(
            "INSERT INTO blobs (sha256, size, content, created_at) VALUES (:sha, :size, :content,"
                + " :at) ON CONFLICT (sha256) DO UPDATE SET content = :content, pruned_at = NULL"
                + " WHERE blobs.content IS NULL")
        .bind("sha", sha256)
        .bind("size", (long) content.length)
        .bind("content", content)
        .bind("at", Micros.of(now))
        .execute();
  }

  public Optional<byte[]> content(String sha256) {
    return h.createQuery("SELECT content FROM blobs WHERE sha256 = :sha AND content IS NOT NULL")
        .bind("sha", sha256)
        .mapTo(byte[].class)
        .findOne();
  }

  /** Whether the bytes are held in the database. */
  public boolean hasContent(String sha256) {
    return h.createQuery("SELECT COUNT(*) FROM blobs WHERE sha256 = :sha AND content IS NOT NULL")
            .bind("sha", sha256)
            .mapTo(Long.class)
            .one()
        > 0;
  }

  public Optional<BlobInfo> find(String sha256) {
    return h.createQuery("SELECT * FROM blobs WHERE sha256 = :sha")
        .bind("sha", sha256)
        .map(
            (rs, ctx) ->
                new BlobInfo(
                    rs.getString("sha256"),
                    rs.getLong("size"),
                    Rows.instant(rs, "created_at"),
                    Rows.instant(rs, "pruned_at")))
        .findOne();
  }

  /** Drops the bytes (if held here) and marks the content pruned; the row stays. */
  public void markPruned(String sha256, Instant now) {
    h.createUpdate(
            "UPDATE blobs SET content = NULL, pruned_at = :at WHERE sha256 = :sha"
                + " AND pruned_at IS NULL")
        .bind("sha", sha256)
        .bind("at", Micros.of(now))
        .execute();
  }

  /**
   * Contents not yet pruned whose every artifact record belongs to a run that ended before {@code
   * cutoff}: nothing newer or still running refers to them.
   */
  public List<String> prunable(Instant cutoff, int limit) {
    return h.createQuery(
            "SELECT b.sha256 FROM blobs b WHERE b.pruned_at IS NULL AND EXISTS (SELECT 1 FROM"
                + " artifacts a WHERE a.sha256 = b.sha256) AND NOT EXISTS (SELECT 1 FROM artifacts"
                + " a JOIN runs r ON r.id = a.run_id WHERE a.sha256 = b.sha256 AND (r.completed_at"
                + " IS NULL OR r.completed_at >= :cutoff)) ORDER BY b.sha256 LIMIT :limit")
        .bind("cutoff", Micros.of(cutoff))
        .bind("limit", limit)
        .mapTo(String.class)
        .list();
  }
}
