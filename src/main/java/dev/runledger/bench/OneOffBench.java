package dev.runledger.bench;

import static dev.runledger.bench.BenchSupport.ACTION;
import static dev.runledger.bench.BenchSupport.BENCH;
import static dev.runledger.bench.BenchSupport.PROJECT;
import static dev.runledger.bench.BenchSupport.percentile;
import static dev.runledger.bench.BenchSupport.round;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runledger.engine.run.TriggerRequest;
import dev.runledger.model.Json;
import dev.runledger.model.RunStatus;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One-off runs of the noop action: a warm-up, then a low-load series (one run at a time, each
 * waited for), then {@code tasks} runs triggered from {@code triggerers} threads; measures
 * throughput and trigger-to-start latency.
 */
public final class OneOffBench {
  private static final List<RunStatus> ACTIVE = List.of(RunStatus.PENDING, RunStatus.RUNNING);
  private static final List<RunStatus> NOT_COMPLETED =
      Arrays.stream(RunStatus.values()).filter(s -> s != RunStatus.COMPLETED).toList();

  /** How the series is shaped; {@code warmup} null means as many as measured. */
  public record Settings(int tasks, int workers, int triggerers, Integer warmup, int lowLoad) {}

  private final BenchNode node;
  private final Settings settings;
  private final PrintWriter err;

  public OneOffBench(BenchNode node, Settings settings, PrintWriter err) {
    this.node = node;
    this.settings = settings;
    this.err = err;
  }

  public ObjectNode run(HeapSampler heap) throws Exception {
    // Warm up (JIT, connections, caches), not counted.
    int warm = Math.max(10, settings.warmup() == null ? settings.tasks() : settings.warmup());
    List<String> warmIds = triggerConcurrently(warm);
    awaitIdle();
    node.sealer().sealNow();
    node.store().refreshStatistics();

    // Low load: one run at a time, each waited for until terminal.
    List<String> lowIds = new ArrayList<>();
    for (int i = 0; i < settings.lowLoad(); i++) {
      lowIds.add(trigger());
      awaitIdle();
    }
    node.sealer().sealNow();

    heap.reset();
    long start = System.nanoTime();
    List<String> ids = triggerConcurrently(settings.tasks());
    long triggered = System.nanoTime();
    awaitIdle();
    long terminal = System.nanoTime();
    int sealed = node.sealer().sealNow();
    long sealedAt = System.nanoTime();
    long unsealed = node.store().read(tx -> tx.audit().countUnsealed());

    BenchSupport.printThreadCpuIfAsked(err);
    double seconds = (terminal - start) / 1e9;
    double[] lowLatency = latencies(lowIds);
    double[] latency = latencies(ids);
    long failed = node.store().read(tx -> tx.runs().countInStatus(NOT_COMPLETED));
    ObjectNode r = Json.object();
    r.put("store", node.storeName());
    r.put("tasks", settings.tasks());
    r.put("tasksPerSecond", round(settings.tasks() / seconds, 1));
    r.put("triggerToStartMsP50", round(percentile(latency, 50), 2));
    r.put("triggerToStartMsP99", round(percentile(latency, 99), 2));
    r.put("triggerToStartMsP50LowLoad", round(percentile(lowLatency, 50), 2));
    r.put("workers", settings.workers());
    r.put("warmupTasks", warm);
    r.put("seconds", round(seconds, 3));
    r.put("triggerSeconds", round((triggered - start) / 1e9, 3));
    r.put("sealSecondsAfter", round((sealedAt - terminal) / 1e9, 3));
    r.put("auditEventsSealedAfter", sealed);
    r.put("auditEventsUnsealed", unsealed);
    r.put("runsNotCompleted", failed);
    r.put("triggerThreads", settings.triggerers());
    r.put("lowLoadRuns", lowIds.size());
    return r;
  }

  private String trigger() {
    TriggerRequest request =
        new TriggerRequest(PROJECT, ACTION, Json.object(), null, BENCH, "bench", null);
    return node.runs().triggerAction(request).run().id();
  }

  private List<String> triggerConcurrently(int n) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(settings.triggerers());
    try {
      AtomicInteger next = new AtomicInteger();
      List<Future<List<String>>> parts = new ArrayList<>();
      for (int t = 0; t < settings.triggerers(); t++) {
        parts.add(
            pool.submit(
                () -> {
                  List<String> mine = new ArrayList<>();
                  while (next.getAndIncrement() < n) {
                    mine.add(trigger());
                  }
                  return mine;
                }));
      }
      List<String> ids = new ArrayList<>(n);
      for (Future<List<String>> part : parts) {
        ids.addAll(part.get());
      }
      return ids;
    } finally {
      pool.shutdown();
    }
  }

  /**
   * Waits until no run is pending or running (every run the bench started has ended). Counts the
   * active runs, a few rows on an index, not the ended ones: the poll must not load the store.
   */
  private void awaitIdle() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
    while (System.nanoTime() < deadline) {
      long active = node.store().read(tx -> tx.runs().countInStatus(ACTIVE));
      if (active == 0) {
        return;
      }
      Thread.sleep(active > 50 ? 20 : 1);
    }
    throw new IllegalStateException("runs did not finish within 30 minutes");
  }

  /** task.started_at - run.created_at in ms, for the given runs, sorted. */
  private double[] latencies(List<String> runIds) {
    Map<String, Long> delays = node.store().read(tx -> tx.runs().triggerToStartMicros());
    double[] out = new double[runIds.size()];
    int n = 0;
    for (String id : runIds) {
      Long micros = delays.get(id);
      if (micros != null) {
        out[n++] = micros / 1000.0;
      }
    }
    out = Arrays.copyOf(out, n);
    Arrays.sort(out);
    return out;
  }
}
