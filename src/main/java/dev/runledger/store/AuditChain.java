package dev.runledger.store;

import dev.runledger.model.AuditEvent;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * Chains a write batch's audit events as they are inserted, when the store has one writer (SQLite),
 * instead of inserting them and having the sealer update each one afterwards. Only while no stored
 * event waits for the sealer, so that positions follow insertion order; the head is read in the
 * batch's transaction, so the chain goes on from what is stored, whatever wrote it.
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
    if (AuditRepository.anyUnsealed(h)) {
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
}
