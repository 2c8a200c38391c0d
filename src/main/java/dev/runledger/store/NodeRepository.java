package dev.runledger.store;

import dev.runledger.model.NodeRecord;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Handle;

/** The nodes serving this store and when each was last seen. */
public final class NodeRepository {
  private final Handle h;

  NodeRepository(Handle h) {
    this.h = h;
  }

  /** Records a node as it is now: inserted on its first call, updated on every later one. */
  public void upsert(NodeRecord n) {
    h.createUpdate(
            "INSERT INTO nodes (id, name, version, started_at, last_seen, slots, running)"
                + " VALUES (:id, :name, :version, :started, :seen, :slots, :running)"
                + " ON CONFLICT (id) DO UPDATE SET last_seen = :seen, slots = :slots,"
                + " running = :running")
        .bind("id", n.id())
        .bind("name", n.name())
        .bind("version", n.version())
        .bind("started", Micros.of(n.startedAt()))
        .bind("seen", Micros.of(n.lastSeen()))
        .bind("slots", n.slots())
        .bind("running", n.running())
        .execute();
  }

  /** The nodes seen since {@code since}, most recently started first. */
  public List<NodeRecord> seenSince(Instant since) {
    return h.createQuery(
            "SELECT * FROM nodes WHERE last_seen >= :since ORDER BY started_at DESC, id")
        .bind("since", Micros.of(since))
        .map(
            (rs, ctx) ->
                new NodeRecord(
                    rs.getString("id"),
                    rs.getString("name"),
                    rs.getString("version"),
                    Rows.instant(rs, "started_at"),
                    Rows.instant(rs, "last_seen"),
                    rs.getInt("slots"),
                    rs.getInt("running")))
        .list();
  }

  /** Forgets the nodes not seen since {@code before}; returns how many. */
  public int forgetNotSeenSince(Instant before) {
    return h.createUpdate("DELETE FROM nodes WHERE last_seen < :before")
        .bind("before", Micros.of(before))
        .execute();
  }
}
