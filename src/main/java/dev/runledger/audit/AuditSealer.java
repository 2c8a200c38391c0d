package dev.runledger.audit;

import dev.runledger.model.AuditEvent;
import dev.runledger.store.Store;
import dev.runledger.store.StoredAuditEvent;
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

  /** Seals everything committed so far; returns how many events it chained. */
  public int sealNow() {
    int total = 0;
    int sealed;
    do {
      sealed = store.writeAndWait(this::sealBatch);
      total += sealed;
    } while (sealed == BATCH);
    return total;
  }

  private int sealBatch(dev.runledger.store.Tx tx) {
    List<StoredAuditEvent> pending = tx.audit().unsealed(BATCH);
    if (pending.isEmpty()) {
      return 0;
    }
    AuditEvent head = tx.audit().head().orElse(null);
    long seq = head == null ? 0 : head.seq();
    String prev = head == null ? AuditHasher.GENESIS : head.hash();
    for (StoredAuditEvent stored : pending) {
      seq++;
      String hash = AuditHasher.hash(prev, seq, stored.event());
      if (!tx.audit().seal(stored.position(), seq, prev, hash)) {
        throw new IllegalStateException("audit event " + stored.event().id() + " sealed twice");
      }
      prev = hash;
    }
    return pending.size();
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
