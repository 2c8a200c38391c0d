package dev.runledger.app;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runledger.bench.AuditBench;
import dev.runledger.bench.BenchNode;
import dev.runledger.bench.BenchSupport;
import dev.runledger.bench.FanOutBench;
import dev.runledger.bench.HeapSampler;
import dev.runledger.bench.OneOffBench;
import dev.runledger.model.Json;
import dev.runledger.store.Database;
import dev.runledger.store.Store;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code runledger bench}: starts a node in-process on a fresh store, runs one of the modes of
 * {@code dev.runledger.bench} against it (one-off runs, a fan-out, or the audit chain's verify),
 * and prints one JSON line with its figures and the peak heap.
 */
@Command(
    name = "bench",
    description =
        "Measure the engine: trigger N one-off noop runs in-process and print one JSON line.")
public final class BenchCommand implements Callable<Integer> {

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
          "Instead of one-off runs: one run of a workflow whose noop step fans out over this many"
              + " subjects (forEach: lists.range(inputs.n)); measured from trigger to run terminal.")
  Integer fanout;

  @Option(
      names = "--triggerers",
      description = "Threads that trigger runs concurrently. Default: 64.")
  int triggerers = 64;

  @Option(
      names = "--warmup",
      description =
          "Tasks run before measuring, so that the JIT has compiled the hot path (a server runs"
              + " for days; a cold JVM spends one of the two cores compiling). Default: as many as"
              + " measured for --tasks, a fan-out of a fifth of --fanout.")
  Integer warmup;

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
    if (fanout != null && fanout < 1) {
      throw new ParameterException(spec.commandLine(), "--fanout must be positive");
    }
    if (tasks < 1 || workers < 1 || triggerers < 1 || lowLoad < 0) {
      throw new ParameterException(
          spec.commandLine(), "--tasks, --workers and --triggerers must be positive");
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
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
                BenchSupport.PROJECT,
                "action",
                BenchSupport.ACTION,
                BenchSupport.NOOP_ACTION,
                true,
                BenchSupport.BENCH);
        BenchNode target = new BenchNode(node.runs(), node.store(), node.sealer());
        if (fanout != null) {
          node.definitions()
              .put(
                  BenchSupport.PROJECT,
                  "workflow",
                  BenchSupport.WORKFLOW,
                  BenchSupport.FANOUT_WORKFLOW,
                  true,
                  BenchSupport.BENCH);
          result = new FanOutBench(target, fanout, workers, warmup, err).run(heap);
        } else {
          result =
              new OneOffBench(
                      target,
                      new OneOffBench.Settings(tasks, workers, triggerers, warmup, lowLoad),
                      err)
                  .run(heap);
        }
      }
      result.put("peakHeapMb", heap.peakMb());
      out.println(Json.write(result));
      out.flush();
      return 0;
    } finally {
      heap.close();
      BenchSupport.deleteTree(dataDir);
    }
  }

  private int auditBench() throws java.io.IOException {
    if (auditEvents < 1) {
      throw new ParameterException(spec.commandLine(), "--audit-events must be positive");
    }
    PrintWriter out = spec.commandLine().getOut();
    Path dataDir = Files.createTempDirectory("runledger-bench");
    HeapSampler heap = new HeapSampler();
    try (Store store = new Store(Database.open(db, dataDir))) {
      AuditBench bench = new AuditBench(store, auditEvents);
      if (!bench.storeIsFresh()) {
        throw new ParameterException(spec.commandLine(), "--db must name a fresh database");
      }
      out.println(Json.write(bench.run(heap)));
      out.flush();
      return 0;
    } finally {
      heap.close();
      BenchSupport.deleteTree(dataDir);
    }
  }
}
