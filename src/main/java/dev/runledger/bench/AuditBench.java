package dev.runledger.bench;

import static dev.runledger.bench.BenchSupport.BENCH;
import static dev.runledger.bench.BenchSupport.PROJECT;
import static dev.runledger.bench.BenchSupport.round;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runledger.audit.AuditSealer;
import dev.runledger.audit.AuditVerifier;
import dev.runledger.model.AuditEvent;
import dev.runledger.model.Ids;
import dev.runledger.model.Json;
import dev.runledger.store.Store;
import java.time.Instant;

/**
 * Fills a fresh store with {@code events} audit events (batched inserts in large transactions,
 * chained by the real {@link AuditSealer}), then times {@link AuditVerifier#verify()} alone.
 */
public final class AuditBench {
  private static final int FILL_BATCH = 20_000;

  private final Store store;
  private final long events;

  public AuditBench(Store store, long events) {
    this.store = store;
    this.events = events;
  }

  /** Whether the store holds no audit event yet (the bench needs a fresh one). */
  public boolean storeIsFresh() {
    return store.read(tx -> tx.audit().count()) == 0;
  }

  public ObjectNode run(HeapSampler heap) {
    long fillStart = System.nanoTime();
    fill();
    AuditSealer sealer = new AuditSealer(store);
    long sealed = 0;
    int pass;
    while ((pass = sealer.sealNow()) > 0) {
      sealed += pass;
    }
    double fillSeconds = (System.nanoTime() - fillStart) / 1e9;
    System.gc();
    heap.reset();
    long start = System.nanoTime();
    AuditVerifier.Verification v = new AuditVerifier(store).verify();
    double seconds = (System.nanoTime() - start) / 1e9;
    if (!v.ok() || v.events() != events || sealed != events) {
      throw new IllegalStateException(
          "the benchmark chain did not verify: " + v + ", sealed " + sealed);
    }
    ObjectNode r = Json.object();
    r.put("store", store.dialect().isSqlite() ? "sqlite" : "postgresql");
    r.put("auditEvents", events);
    r.put("verifySeconds", round(seconds, 3));
    r.put("eventsPerSecond", Math.round(events / seconds));
    r.put("peakHeapMb", heap.peakMb());
    r.put("fillSeconds", round(fillSeconds, 3));
    r.put("ok", v.ok());
    return r;
  }

  /** Events like the engine writes for runs, in transactions of {@link #FILL_BATCH}. */
  private void fill() {
    Instant at = Instant.parse("2026-11-21T00:00:00Z");
    for (long done = 0; done < events; ) {
      long from = done;
      long to = Math.min(events, done + FILL_BATCH);
      store.writeAndWait(
          tx -> {
            for (long i = from; i < to; i++) {
              String runId = "run_bench" + (i / 8);
              ObjectNode details = Json.object();
              details.put("from", "pending");
              details.put("to", "running");
              details.put("attempt", 1);
              tx.audit()
                  .append(
                      new AuditEvent(
                          Ids.event(),
                          null,
                          at.plusMillis(i),
                          PROJECT,
                          BENCH.name(),
                          "task.status",
                          runId,
                          "step-" + (i % 8),
                          "task:" + runId + "/step-" + (i % 8),
                          details,
                          null,
                          null));
            }
            return null;
          });
      done = to;
    }
  }
}
