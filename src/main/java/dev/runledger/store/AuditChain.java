package dev.runledger.store;

import dev.runledger.model.AuditEvent;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * Chains a write batch's audit events as they are inserted, instead of inserting them and having
 * the sealer update each one afterwards: on SQLite (one writer) always, on PostgreSQL when this
 * batch takes the chain's advisory lock (held to its commit, so one node's batch at a time); only
 * while no stored event waits for the sealer, so that positions follow insertion order. The head is
 * read in the batch's transaction, so the chain goes on from what is stored, whatever wrote it.
 */
public final class AuditChain {
  /** Computes an event's hash from the previous one's (the audit package's hasher). */
  @FunctionalInterface
  public interface Hasher {
    String hash(String prevHash, long seq, AuditEvent event);
  }

  private final Hasher hasher;
  private final String genesis;

  AuditChain(Hasher hasher, String genesis) {
    this.hasher = hasher;
    this.genesis = genesis;
  }

  /**
   * {@code events} with their positions and hashes after the stored head, or null when an earlier
   * event still waits for the sealer (these wait too, and it chains them in order).
   */
  List<AuditEvent> chain(Handle h, List<AuditEvent> events) {
    if (!tryLock(h, Sql.dialect(h)) || AuditRepository.anyUnsealed(h)) {
      return null;
    }
    AuditEvent head = AuditRepository.headOf(h);
    long seq = head == null ? 0 : head.seq();
    String prev = head == null ? genesis : head.hash();
    List<AuditEvent> chained = new ArrayList<>(events.size());
    for (AuditEvent e : events) {
      seq++;
      // Hashed as it is stored and read back by the verifier: the time in microseconds.
      AuditEvent stored =
          new AuditEvent(
              e.id(),
              seq,
              Micros.toInstant(Micros.of(e.at())),
              e.project(),
              e.actor(),
              e.type(),
              e.runId(),
              e.taskName(),
              e.target(),
              e.details(),
              prev,
              null);
      String hash = hasher.hash(prev, seq, stored);
      chained.add(
          new AuditEvent(
              stored.id(),
              seq,
              stored.at(),
              stored.project(),
              stored.actor(),
              stored.type(),
              stored.runId(),
              stored.taskName(),
              stored.target(),
              stored.details(),
              prev,
              hash));
      prev = hash;
    }
    return chained;
  }

  /**
   * Takes the chain's lock for the current transaction: a PostgreSQL advisory lock, released at its
   * end; SQLite has one writer, so it always succeeds there.
   */
  static boolean tryLock(Handle h, Dialect dialect) {
    if (dialect.isSqlite()) {
      return true;
    }
    return Sql.of("SELECT pg_try_advisory_xact_lock(:key)")
        .on(h)
        .lng("key", LOCK)
        .one(rs -> rs.getBoolean(1))
        .orElse(false);
  }

  /** The advisory lock key of the audit chain (an arbitrary constant: "RLAUDIT" in hex-ish). */
  private static final long LOCK = 0x524C415544495400L;
}
