package dev.runledger.store;

import dev.runledger.model.AuditEvent;
import dev.runledger.model.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.Query;

/**
 * The append-only audit table. Events are inserted chained (SQLite's single writer, see {@link
 * AuditChain}) or unsealed, and then the sealer sets their chain position and hashes, once. Nothing
 * here updates an event's content or deletes one.
 */
public final class AuditRepository {
  private final Handle h;
  private final AuditBuffer buffer;

  AuditRepository(Handle h, AuditBuffer buffer) {
    this.h = h;
    this.buffer = buffer;
  }

  /**
   * Appends an event in this transaction. In a write batch it is inserted with the batch's other
   * events in one batched statement before the commit (see {@link AuditBuffer}).
   */
  public void append(AuditEvent e) {
    if (buffer != null) {
      buffer.add(e);
    } else {
      insertAll(h, List.of(e));
    }
  }

  static void insertAll(Handle h, List<AuditEvent> events) {
    Sql.Stmt batch =
        Sql.of(
                "INSERT INTO audit_events (id, at, project, actor, type, run_id, task_name, target,"
                    + " details_json, seq, prev_hash, hash) VALUES (:id, :at, :project, :actor,"
                    + " :type, :run, :task, :target, :details, :seq, :prev, :hash)")
            .on(h);
    for (AuditEvent e : events) {
      batch
          .str("id", e.id())
          .lng("at", Micros.of(e.at()))
          .str("project", e.project())
          .str("actor", e.actor())
          .str("type", e.type())
          .str("run", e.runId())
          .str("task", e.taskName())
          .str("target", e.target())
          .str("details", Json.write(e.details()))
          .lng("seq", e.seq())
          .str("prev", e.prevHash())
          .str("hash", e.hash())
          .add();
    }
    batch.executeBatch();
  }

  /** Whether any event waits for the sealer. */
  static boolean anyUnsealed(Handle h) {
    return !Sql.of("SELECT pk FROM audit_events WHERE seq IS NULL LIMIT 1")
        .on(h)
        .list(rs -> rs.getLong(1))
        .isEmpty();
  }

  /** The last chained event, or null. */
  static AuditEvent headOf(Handle h) {
    List<AuditEvent> head =
        Sql.of("SELECT * FROM audit_events WHERE seq = (SELECT MAX(seq) FROM audit_events)")
            .on(h)
            .list(AuditRepository::map);
    return head.isEmpty() ? null : head.get(0);
  }

  /** Inserts events still pending in this write batch, so that a read here sees them. */
  private Handle flushed() {
    if (buffer != null) {
      buffer.flush();
    }
    return h;
  }

  /** Events not yet chained, in insertion order. */
  public List<StoredAuditEvent> unsealed(int limit) {
    return flushed()
        .createQuery("SELECT * FROM audit_events WHERE seq IS NULL ORDER BY pk LIMIT :limit")
        .bind("limit", limit)
        .map((rs, ctx) -> new StoredAuditEvent(rs.getLong("pk"), map(rs)))
        .list();
  }

  /** The last chained event, if any. */
  public Optional<AuditEvent> head() {
    return flushed()
        .createQuery("SELECT * FROM audit_events WHERE seq = (SELECT MAX(seq) FROM audit_events)")
        .map((rs, ctx) -> map(rs))
        .findOne();
  }

  /** Chains one event: sets its position and hashes; only when it has none yet. */
  public boolean seal(long position, long seq, String prevHash, String hash) {
    return flushed()
            .createUpdate(
                "UPDATE audit_events SET seq = :seq, prev_hash = :prev, hash = :hash"
                    + " WHERE pk = :pk AND seq IS NULL")
            .bind("pk", position)
            .bind("seq", seq)
            .bind("prev", prevHash)
            .bind("hash", hash)
            .execute()
        == 1;
  }

  /** One event's chain position and hashes, as the sealer computed them. */
  public record Seal(long position, long seq, String prevHash, String hash) {}

  /**
   * Chains events in one batched statement, each only when it has no position yet; returns false
   * (and the caller must roll back) when any of them had one already.
   */
  public boolean sealAll(List<Seal> seals) {
    if (seals.isEmpty()) {
      return true;
    }
    PreparedBatch batch =
        flushed()
            .prepareBatch(
                "UPDATE audit_events SET seq = :seq, prev_hash = :prev, hash = :hash"
                    + " WHERE pk = :pk AND seq IS NULL");
    for (Seal s : seals) {
      batch
          .bind("pk", s.position())
          .bind("seq", s.seq())
          .bind("prev", s.prevHash())
          .bind("hash", s.hash())
          .add();
    }
    for (int n : batch.execute()) {
      if (n != 1 && n != java.sql.Statement.SUCCESS_NO_INFO) {
        return false;
      }
    }
    return true;
  }

  /**
   * Every chained event in chain order, streamed to {@code sink}. Memory stays flat: SQLite steps
   * through the result, and PostgreSQL honours the fetch size with a cursor because reads run in a
   * transaction (autocommit off, {@link Store#read}).
   */
  public void forEachSealed(Consumer<AuditEvent> sink) {
    try (var stream =
        flushed()
            .createQuery("SELECT * FROM audit_events WHERE seq IS NOT NULL ORDER BY seq")
            .setFetchSize(1000)
            .map((rs, ctx) -> map(rs))
            .stream()) {
      stream.forEach(sink);
    }
  }

  /** Events matching the filter, newest first, with positions below {@code beforePosition}. */
  public List<StoredAuditEvent> list(AuditFilter f, Long beforePosition, int limit) {
    return list(f, beforePosition, limit, false);
  }

  /**
   * Events matching the filter past the position {@code cursor}: newest first (positions below it),
   * or oldest first (positions above it) when {@code oldestFirst}.
   */
  public List<StoredAuditEvent> list(AuditFilter f, Long cursor, int limit, boolean oldestFirst) {
    StringBuilder sql = new StringBuilder("SELECT * FROM audit_events WHERE 1 = 1");
    if (f.project() != null) {
      sql.append(
          f.includeSystem()
              ? " AND (project = :project OR project IS NULL)"
              : " AND project = :project");
    } else if (!f.includeSystem()) {
      sql.append(" AND project IS NOT NULL");
    }
    if (f.since() != null) sql.append(" AND at >= :since");
    if (f.until() != null) sql.append(" AND at < :until");
    if (f.actor() != null) sql.append(" AND actor = :actor");
    if (f.type() != null) sql.append(" AND type = :type");
    if (f.runId() != null) sql.append(" AND run_id = :run");
    if (cursor != null) sql.append(oldestFirst ? " AND pk > :cursor" : " AND pk < :cursor");
    sql.append(oldestFirst ? " ORDER BY pk LIMIT :limit" : " ORDER BY pk DESC LIMIT :limit");
    Query q = flushed().createQuery(sql.toString()).bind("limit", limit);
    if (f.project() != null) q.bind("project", f.project());
    if (f.since() != null) q.bind("since", Micros.of(f.since()));
    if (f.until() != null) q.bind("until", Micros.of(f.until()));
    if (f.actor() != null) q.bind("actor", f.actor());
    if (f.type() != null) q.bind("type", f.type());
    if (f.runId() != null) q.bind("run", f.runId());
    if (cursor != null) q.bind("cursor", cursor);
    return q.map((rs, ctx) -> new StoredAuditEvent(rs.getLong("pk"), map(rs))).list();
  }

  /** A run's events in the order they happened. */
  public List<AuditEvent> forRun(String runId) {
    return flushed()
        .createQuery("SELECT * FROM audit_events WHERE run_id = :run ORDER BY pk")
        .bind("run", runId)
        .map((rs, ctx) -> map(rs))
        .list();
  }

  /** How many events the sealer has not chained yet. */
  public long countUnsealed() {
    return flushed()
        .createQuery("SELECT COUNT(*) FROM audit_events WHERE seq IS NULL")
        .mapTo(Long.class)
        .one();
  }

  public long count() {
    return flushed().createQuery("SELECT COUNT(*) FROM audit_events").mapTo(Long.class).one();
  }

  static AuditEvent map(ResultSet rs) throws SQLException {
    return new AuditEvent(
        rs.getString("id"),
        Rows.longValue(rs, "seq"),
        Rows.instant(rs, "at"),
        rs.getString("project"),
        rs.getString("actor"),
        rs.getString("type"),
        rs.getString("run_id"),
        rs.getString("task_name"),
        rs.getString("target"),
        Rows.json(rs, "details_json"),
        rs.getString("prev_hash"),
        rs.getString("hash"));
  }
}
