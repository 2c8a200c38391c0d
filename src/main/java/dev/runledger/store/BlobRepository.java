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
   * Records the content in an outcome's transaction. The row normally exists already ({@link
   * BlobStore#put} wrote it with the bytes); this never un-prunes one: only a store that wrote the
   * bytes again may say they are present.
   */
  public void ensure(String sha256, long size, Instant now) {
    h.createUpdate(
            "INSERT INTO blobs (sha256, size, created_at) VALUES (:sha, :size, :at)"
                + " ON CONFLICT (sha256) DO NOTHING")
        .bind("sha", sha256)
        .bind("size", size)
        .bind("at", Micros.of(now))
        .execute();
  }

  /**
   * Claims a content whose bytes are kept for a new store: refreshes {@code created_at} (so that
   * retention and the orphan sweep leave it alone for their grace period) and answers whether the
   * bytes are still there. False means pruned or unknown: the caller writes the bytes and calls
   * {@link #stored}.
   *
   * @param inDatabase whether the bytes live in this table (then they must be present too)
   */
  public boolean touch(String sha256, Instant now, boolean inDatabase) {
    return h.createUpdate(
                "UPDATE blobs SET created_at = :at WHERE sha256 = :sha AND pruned_at IS NULL"
                    + (inDatabase ? " AND content IS NOT NULL" : ""))
            .bind("sha", sha256)
            .bind("at", Micros.of(now))
            .execute()
        == 1;
  }

  /** The bytes were just written (outside the database): the content is present again. */
  public void stored(String sha256, long size, Instant now) {
    h.createUpdate(
            "INSERT INTO blobs (sha256, size, created_at) VALUES (:sha, :size, :at)"
                + " ON CONFLICT (sha256) DO UPDATE SET pruned_at = NULL, created_at = :at")
        .bind("sha", sha256)
        .bind("size", size)
        .bind("at", Micros.of(now))
        .execute();
  }

  /** Stores the bytes in the database (a store shared by several nodes). */
  public void putContent(String sha256, byte[] content, Instant now) {
    h.createUpdate(
            "INSERT INTO blobs (sha256, size, content, created_at) VALUES (:sha, :size, :content,"
                + " :at) ON CONFLICT (sha256) DO UPDATE SET content = :content, pruned_at = NULL,"
                + " created_at = :at")
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

  /**
   * Drops the bytes (if held here) and marks the content pruned, the row staying; only if it is
   * still prunable now, inside the deleting transaction: not stored again since {@code
   * storedBefore} and no artifact of a run still running or ended since {@code cutoff} refers to
   * it. Returns whether it was marked; the caller deletes the bytes only then.
   */
  public boolean markPruned(String sha256, Instant now, Instant cutoff, Instant storedBefore) {
    return h.createUpdate(
                "UPDATE blobs SET content = NULL, pruned_at = :at WHERE sha256 = :sha"
                    + " AND pruned_at IS NULL AND created_at < :storedBefore AND NOT EXISTS"
                    + " (SELECT 1 FROM artifacts a JOIN runs r ON r.id = a.run_id WHERE a.sha256 ="
                    + " blobs.sha256 AND (r.completed_at IS NULL OR r.completed_at >= :cutoff))")
            .bind("at", Micros.of(now))
            .bind("sha", sha256)
            .bind("storedBefore", Micros.of(storedBefore))
            .bind("cutoff", Micros.of(cutoff))
            .execute()
        == 1;
  }

  /**
   * Contents no artifact refers to, stored before {@code storedBefore}: bytes written for an
   * outcome that was then discarded (a lost lease, a crash between the two transactions).
   */
  public List<String> orphans(Instant storedBefore, int limit) {
    return h.createQuery(
            "SELECT b.sha256 FROM blobs b WHERE b.created_at < :storedBefore AND NOT EXISTS"
                + " (SELECT 1 FROM artifacts a WHERE a.sha256 = b.sha256) ORDER BY b.sha256"
                + " LIMIT :limit")
        .bind("storedBefore", Micros.of(storedBefore))
        .bind("limit", limit)
        .mapTo(String.class)
        .list();
  }

  /**
   * Deletes an orphan's row (and bytes held here) if it still is one inside this transaction;
   * returns whether it did.
   */
  public boolean deleteOrphan(String sha256, Instant storedBefore) {
    return h.createUpdate(
                "DELETE FROM blobs WHERE sha256 = :sha AND created_at < :storedBefore AND NOT"
                    + " EXISTS (SELECT 1 FROM artifacts a WHERE a.sha256 = blobs.sha256)")
            .bind("sha", sha256)
            .bind("storedBefore", Micros.of(storedBefore))
            .execute()
        == 1;
  }

  /**
   * Contents not yet pruned whose every artifact record belongs to a run that ended before {@code
   * cutoff}: nothing newer or still running refers to them.
   */
  public List<String> prunable(Instant cutoff, Instant storedBefore, int limit) {
    return h.createQuery(
            "SELECT b.sha256 FROM blobs b WHERE b.pruned_at IS NULL"
                + " AND b.created_at < :storedBefore AND EXISTS (SELECT 1 FROM"
                + " artifacts a WHERE a.sha256 = b.sha256) AND NOT EXISTS (SELECT 1 FROM artifacts"
                + " a JOIN runs r ON r.id = a.run_id WHERE a.sha256 = b.sha256 AND (r.completed_at"
                + " IS NULL OR r.completed_at >= :cutoff)) ORDER BY b.sha256 LIMIT :limit")
        .bind("cutoff", Micros.of(cutoff))
        .bind("storedBefore", Micros.of(storedBefore))
        .bind("limit", limit)
        .mapTo(String.class)
        .list();
  }
}
