package dev.runledger.app;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runledger.audit.AuditSealer;
import dev.runledger.audit.AuditVerifier;
import dev.runledger.engine.RunService;
import dev.runledger.engine.TriggerRequest;
import dev.runledger.model.AuditEvent;
import dev.runledger.model.Ids;
import dev.runledger.model.Json;
import dev.runledger.model.Principal;
import dev.runledger.model.Role;
import dev.runledger.model.RunStatus;
import dev.runledger.store.Database;
import dev.runledger.store.Store;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code runledger bench}: starts a node in-process on a fresh store, triggers one-off runs of a
 * {@code noop} builtin action through {@link RunService} (not HTTP), waits until every run is
 * terminal, and prints one JSON line with throughput, trigger-to-start latency and peak heap.
 */
@Command(
    name = "bench",
    description =
        "Measure the engine: trigger N one-off noop runs in-process and print one JSON line.")
public final class BenchCommand implements Callable<Integer> {
  static final String PROJECT = "default";
  static final String ACTION = "bench-noop";
  private static final int FILL_BATCH = 20_000;
  private static final List<RunStatus> TERMINAL =
      Arrays.stream(RunStatus.values()).filter(RunStatus::isTerminal).toList();
  private static final List<RunStatus> NOT_COMPLETED =
      Arrays.stream(RunStatus.values()).filter(s -> s != RunStatus.COMPLETED).toList();
  private static final Principal BENCH = new Principal("system:bench", Role.ADMIN, null);

  @Spec CommandSpec spec;

  @Option(names = "--tasks", description = "How many one-off runs to trigger. Default: 20000.")
  int tasks = 20_000;

  @Option(
      names = "--db",
      description = "postgresql://user@host:5432/db (a fresh database). Default: embedded SQLite.")
  String db;

  @Option(names = "--workers", description = "Worker threads on the node.")
  int workers = ServerConfig.DEFAULT_WORKERS;

  @Option(
      names = "--fanout",
      description =
          "Tasks per run through a workflow fan-out (not supported until workflows land).")
  Integer fanout;

  @Option(
      names = "--triggerers",
      description = "Threads that trigger runs concurrently. Default: 64.")
  int triggerers = 64;

  @Option(
      names = "--low-load",
      description = "Sequential triggers (each waited for) for the low-load latency. Default: 200.")
  int lowLoad = 200;

  @Option(
      names = "--audit-events",
      description =
          "Instead of runs: fill a fresh store with N sealed audit events and time verifying the"
              + " chain.")
  Long auditEvents;

  @Override
  public Integer call() throws Exception {
    if (auditEvents != null) {
      return auditBench();
    }
    if (fanout != null) {
      throw new ParameterException(
          spec.commandLine(),
          "--fanout is not supported until workflows land (bench runs one-off action runs only)");
    }
    if (tasks < 1 || workers < 1 || triggerers < 1 || lowLoad < 0) {
      throw new ParameterException(
          spec.commandLine(), "--tasks, --workers and --triggerers must be positive");
    }
    PrintWriter out = spec.commandLine().getOut();
    Path dataDir = Files.createTempDirectory("runledger-bench");
    HeapSampler heap = new HeapSampler();
    try {
      ServerConfig config =
          ServerConfig.defaults(dataDir)
              .with(
                  c -> {
                    c.port = 0;
                    c.db = db;
                    c.workers = workers;
                    c.triggersPerMinute = 0;
                    c.lease = Duration.ofSeconds(60);
                    c.shutdownGrace = Duration.ofSeconds(10);
                  });
      ObjectNode result;
      try (Runledger node = Runledger.start(config)) {
        node.definitions()
            .put(
                PROJECT,
                "action",
                ACTION,
                "kind: action\nname: " + ACTION + "\nbuiltin: {noop: {}}\n",
                true,
                BENCH);
        result =
            new Bench(node, node.store().dialect().isSqlite() ? "sqlite" : "postgresql").run(heap);
      }
      result.put("peakHeapMb", heap.peakMb());

      out.println(Json.write(result));
      out.flush();
      return 0;
    } finally {
      heap.close();
      deleteTree(dataDir);
    }
  }

  /**
   * Fills a fresh store with {@code --audit-events} events (batched inserts in large transactions,
   * chained by the real {@link AuditSealer}), then times {@link AuditVerifier#verify()} alone.
   */
  private int auditBench() throws IOException {
    if (auditEvents < 1) {
      throw new ParameterException(spec.commandLine(), "--audit-events must be positive");
    }
    PrintWriter out = spec.commandLine().getOut();
    Path dataDir = Files.createTempDirectory("runledger-bench");
    HeapSampler heap = new HeapSampler();
    try (Store store = new Store(Database.open(db, dataDir))) {
      if (store.read(tx -> tx.audit().count()) != 0) {
        throw new ParameterException(spec.commandLine(), "--db must name a fresh database");
      }
      long fillStart = System.nanoTime();
      fillAudit(store, auditEvents);
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
      if (!v.ok() || v.events() != auditEvents || sealed != auditEvents) {
        throw new IllegalStateException(
            "the benchmark chain did not verify: " + v + ", sealed " + sealed);
      }
      ObjectNode r = Json.object();
      r.put("store", store.dialect().isSqlite() ? "sqlite" : "postgresql");
      r.put("auditEvents", auditEvents);
      r.put("verifySeconds", round(seconds, 3));
      r.put("eventsPerSecond", Math.round(auditEvents / seconds));
      r.put("peakHeapMb", heap.peakMb());
      r.put("fillSeconds", round(fillSeconds, 3));
      r.put("ok", v.ok());
      out.println(Json.write(r));
      out.flush();
      return 0;
    } finally {
      heap.close();
      deleteTree(dataDir);
    }
  }

  /** Events like the engine writes for runs, in transactions of {@link #FILL_BATCH}. */
  private static void fillAudit(Store store, long n) {
    Instant at = Instant.parse("2026-11-21T00:00:00Z");
    for (long done = 0; done < n; ) {
      long from = done;
      long to = Math.min(n, done + FILL_BATCH);
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

  /** One benchmark on a started node. */
  private final class Bench {
    private final Runledger node;
    private final String store;

    Bench(Runledger node, String store) {
      this.node = node;
      this.store = store;
    }

    ObjectNode run(HeapSampler heap) throws Exception {
      // Warm up (JIT, connections, caches) with a few runs, not counted.
      int warm = Math.min(200, Math.max(10, tasks / 20));
      List<String> warmIds = triggerConcurrently(warm);
      awaitTerminal(warm);
      node.sealer().sealNow();

      // Low load: one run at a time, each waited for until terminal.
      List<String> lowIds = new ArrayList<>();
      for (int i = 0; i < lowLoad; i++) {
        String id = trigger(i);
        lowIds.add(id);
        awaitTerminal(warm + i + 1);
      }
      node.sealer().sealNow();
      List<String> measured = new ArrayList<>(warmIds);
      measured.addAll(lowIds);
      int before = warm + lowLoad;

      heap.reset();
      long start = System.nanoTime();
      List<String> ids = triggerConcurrently(tasks);
      long triggered = System.nanoTime();
      awaitTerminal(before + tasks);
      long terminal = System.nanoTime();
      int sealed = node.sealer().sealNow();
      long sealedAt = System.nanoTime();
      long unsealed = node.store().read(tx -> tx.audit().countUnsealed());

      if (System.getenv("RUNLEDGER_BENCH_THREADS") != null) {
        printThreadCpu(spec.commandLine().getErr());
      }
      double seconds = (terminal - start) / 1e9;
      double[] lowLatency = latencies(lowIds);
      double[] latency = latencies(ids);
      long failed = countNotCompleted();
      ObjectNode r = Json.object();
      r.put("store", store);
      r.put("tasks", tasks);
      r.put("tasksPerSecond", round(tasks / seconds, 1));
      r.put("triggerToStartMsP50", round(percentile(latency, 50), 2));
      r.put("triggerToStartMsP99", round(percentile(latency, 99), 2));
      r.put("triggerToStartMsP50LowLoad", round(percentile(lowLatency, 50), 2));
      r.put("workers", workers);
      r.put("seconds", round(seconds, 3));
      r.put("triggerSeconds", round((triggered - start) / 1e9, 3));
      r.put("sealSecondsAfter", round((sealedAt - terminal) / 1e9, 3));
      r.put("auditEventsSealedAfter", sealed);
      r.put("auditEventsUnsealed", unsealed);
      r.put("runsNotCompleted", failed);
      r.put("triggerThreads", triggerers);
      r.put("lowLoadRuns", lowIds.size());
      return r;
    }

    private String trigger(int i) {
      TriggerRequest request =
          new TriggerRequest(PROJECT, ACTION, Json.object(), null, BENCH, "bench", null);
      return node.runs().triggerAction(request).run().id();
    }

    private List<String> triggerConcurrently(int n) throws Exception {
      ExecutorService pool = Executors.newFixedThreadPool(triggerers);
      try {
        AtomicInteger next = new AtomicInteger();
        List<Future<List<String>>> parts = new ArrayList<>();
        for (int t = 0; t < triggerers; t++) {
          parts.add(
              pool.submit(
                  () -> {
                    List<String> mine = new ArrayList<>();
                    int i;
                    while ((i = next.getAndIncrement()) < n) {
                      mine.add(trigger(i));
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

    /** Polls a cheap count until {@code total} runs are terminal. */
    private void awaitTerminal(int total) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
      while (System.nanoTime() < deadline) {
        long done = node.store().read(tx -> tx.runs().countInStatus(TERMINAL));
        if (done >= total) {
          return;
        }
        Thread.sleep(total - done > 50 ? 20 : 1);
      }
      throw new IllegalStateException("runs did not finish within 30 minutes");
    }

    private long countNotCompleted() {
      return node.store().read(tx -> tx.runs().countInStatus(NOT_COMPLETED));
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

  /** CPU time per thread group (diagnostics, with RUNLEDGER_BENCH_THREADS set). */
  private static void printThreadCpu(PrintWriter err) {
    var threads = ManagementFactory.getThreadMXBean();
    Map<String, Long> byGroup = new java.util.TreeMap<>();
    for (long id : threads.getAllThreadIds()) {
      var info = threads.getThreadInfo(id);
      long cpu = threads.getThreadCpuTime(id);
      if (info != null && cpu > 0) {
        byGroup.merge(info.getThreadName().replaceAll("[-#]?\\d+$", ""), cpu, Long::sum);
      }
    }
    byGroup.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(15)
        .forEach(e -> err.printf("cpu %-40s %8d ms%n", e.getKey(), e.getValue() / 1_000_000));
    err.flush();
  }

  static double percentile(double[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  private static double round(double v, int places) {
    double f = Math.pow(10, places);
    return Math.round(v * f) / f;
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temp directory left behind is harmless
    }
  }

  /** Peak heap: the JVM's heap pools' peak usage, plus a sampler of total heap in use. */
  static final class HeapSampler implements AutoCloseable {
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long peak;

    HeapSampler() {
      thread =
          new Thread(
              () -> {
                while (running) {
                  long used = 0;
                  for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                    if (pool.getType() == MemoryType.HEAP) {
                      used += pool.getUsage().getUsed();
                    }
                  }
                  peak = Math.max(peak, used);
                  try {
                    Thread.sleep(10);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              },
              "bench-heap-sampler");
      thread.setDaemon(true);
      thread.start();
    }

    void reset() {
      for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
        pool.resetPeakUsage();
      }
      peak = 0;
    }

    /** The larger of the sampled peak and the sum of the heap pools' peaks, in MiB. */
    long peakMb() {
      long pools = 0;
      for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
        if (pool.getType() == MemoryType.HEAP) {
          pools += pool.getPeakUsage().getUsed();
        }
      }
      return Math.max(peak, pools) / (1024 * 1024);
    }

    @Override
    public void close() {
      running = false;
      thread.interrupt();
    }
  }
}
