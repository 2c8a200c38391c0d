package dev.runledger.store;

import dev.runledger.model.AuditEvent;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * The audit chain's head as the only writer knows it (SQLite), so that a batch's events are chained
 * as they are inserted, instead of inserted and then updated by the sealer. Used only while no
 * event waits for the sealer (so positions follow insertion order); anything else that inserts or
 * chains events in a batch (an audit read inside a unit, the sealer's own pass, a rollback) makes
 * the head unknown, and it is read again before the next chained insert.
 */
public final class AuditChain {
  /** Computes an event's hash from the previous one's (the audit package's hasher). */
  @FunctionalInterface
  public interface Hasher {
    String hash(String prevHash, long seq, AuditEvent event);
  }

  private final Hasher hasher;
  private final String genesis;
  private boolean known;
  private long seq;
  private String hash;
  private long pendingSeq;
  private String pendingHash;

  AuditChain(Hasher hasher, String genesis) {
    this.hasher = hasher;
    this.genesis = genesis;
  }

  /**
   * Chains {@code events} after the head if every stored event is chained already; returns them
   * with their positions and hashes, or null when they must wait for the sealer.
   */
  List<AuditEvent> chain(Handle h, List<AuditEvent> events) {
    if (!known) {
      if (AuditRepository.anyUnsealed(h)) {
        return null;
      }
      AuditEvent head = AuditRepository.headOf(h);
      seq = head == null ? 0 : head.seq();
      hash = head == null ? genesis : head.hash();
      pendingSeq = seq;
      pendingHash = hash;
      known = true;
    }
    List<AuditEvent> chained = new ArrayList<>(events.size());
    for (AuditEvent e : events) {
      long next = pendingSeq + 1;
      // Hashed as it is stored (and read back by the verifier): the time in microseconds.
      AuditEvent stored =
          new AuditEvent(
              e.id(),
              next,
              Micros.toInstant(Micros.of(e.at())),
              e.project(),
              e.actor(),
              e.type(),
              e.runId(),
              e.taskName(),
              e.target(),
              e.details(),
              pendingHash,
              null);
      String h2 = hasher.hash(pendingHash, next, stored);
      chained.add(
          new AuditEvent(
              e.id(),
              next,
              stored.at(),
              e.project(),
              e.actor(),
              e.type(),
              e.runId(),
              e.taskName(),
              e.target(),
              e.details(),
              pendingHash,
              h2));
      pendingSeq = next;
      pendingHash = h2;
    }
    return chained;
  }

  /** The batch committed: its chained events are the head now. */
  void committed() {
    seq = pendingSeq;
    hash = pendingHash;
  }

  /** The batch rolled back, or something else changed the chain: read the head again. */
  void forget() {
    known = false;
    pendingSeq = seq;
    pendingHash = hash;
  }
}
