package dev.runledger.audit;

import dev.runledger.model.AuditEvent;
import dev.runledger.store.AuditRepository;
import dev.runledger.store.Store;
import dev.runledger.store.StoredAuditEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single sealer: chains committed audit events in insertion order, shortly after commit, so the
 * hot path never waits on the chain.
 */
public final class AuditSealer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AuditSealer.class);
  private static final int BATCH = 2000;

  private final Store store;
  private final Semaphore wake = new Semaphore(0);
  private final Thread thread;
  private volatile boolean running = true;

  public AuditSealer(Store store) {
    this.store = store;
    this.thread = new Thread(this::loop, "runledger-audit-sealer");
    this.thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  /** Asks for a sealing pass soon. */
  public void wake() {
    if (wake.availablePermits() == 0) {
      wake.release();
    }
  }

  /**
   * Seals everything committed so far; returns how many events it chained. Calls are serialized:
   * the sealer's loop and explicit calls never chain from the same head.
   */
  public synchronized int sealNow() {
    int total = 0;
    int sealed;
    do {
      sealed = sealBatch();
      total += sealed;
    } while (sealed == BATCH);
    return total;
  }

  /**
   * Reads the pending events and the chain's head on a reader connection and computes the hashes
   * there, off the writer thread; then writes the positions and hashes in one batched statement.
   * The write is guarded (an event already chained fails the whole pass, which is rolled back), so
   * a stale read can never fork the chain.
   */
  private int sealBatch() {
    record Pending(List<StoredAuditEvent> events, AuditEvent head) {}
    Pending pending =
        store.read(
            tx -> {
              List<StoredAuditEvent> events = tx.audit().unsealed(BATCH);
              return new Pending(events, events.isEmpty() ? null : tx.audit().head().orElse(null));
            });
    if (pending.events().isEmpty()) {
      return 0;
    }
    AuditEvent head = pending.head();
    long seq = head == null ? 0 : head.seq();
    String prev = head == null ? AuditHasher.GENESIS : head.hash();
    List<AuditRepository.Seal> seals = new ArrayList<>(pending.events().size());
    for (StoredAuditEvent stored : pending.events()) {
      seq++;
      String hash = AuditHasher.hash(prev, seq, stored.event());
      seals.add(new AuditRepository.Seal(stored.position(), seq, prev, hash));
      prev = hash;
    }
    long expectedHead = head == null ? 0 : head.seq();
    String expectedHash = head == null ? null : head.hash();
    boolean sealed =
        store.writeAndWait(
            tx -> {
              // One sealer at a time across nodes; another node holding the lock seals these.
              if (!tx.tryLockAuditSealer()) {
                return false;
              }
              AuditEvent current = tx.audit().head().orElse(null);
              long currentSeq = current == null ? 0 : current.seq();
              String currentHash = current == null ? null : current.hash();
              if (currentSeq != expectedHead
                  || !java.util.Objects.equals(currentHash, expectedHash)) {
                // Another node chained events since the read: read again on the next pass.
                return false;
              }
              if (!tx.audit().sealAll(seals)) {
                throw new IllegalStateException("an audit event was sealed twice");
              }
              return true;
            });
    return sealed ? seals.size() : 0;
  }

  private void loop() {
    while (running) {
      try {
        wake.tryAcquire(1, TimeUnit.SECONDS);
        wake.drainPermits();
        // Let a burst of commits gather so one pass seals many events.
        Thread.sleep(50);
        sealNow();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        LOG.warn("audit sealing pass failed; will retry", e);
      }
    }
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
