package dev.runledger.app;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runledger.bench.AuditBench;
import dev.runledger.bench.BenchNode;
import dev.runledger.bench.BenchSupport;
import dev.runledger.bench.FanOutBench;
import dev.runledger.bench.HeapSampler;
import dev.runledger.bench.OneOffBench;
import dev.runledger.bench.UiBench;
import dev.runledger.cli.Cli;
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
    mixinStandardHelpOptions = true,
    versionProvider = Cli.VersionProvider.class,
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

  @Option(
      names = "--ui",
      description =
          "Instead of runs: fill the store to production size (see --ui-runs and the others),"
              + " then time the web UI's pages over HTTP (p50, p95, max per page).")
  boolean ui;

  @Option(names = "--ui-runs", description = "Runs in the store for --ui. Default: 1000000.")
  int uiRuns = 1_000_000;

  @Option(names = "--ui-tasks-per-run", description = "Tasks of each run for --ui. Default: 10.")
  int uiTasksPerRun = 10;

  @Option(
      names = "--ui-fanout",
      description = "Tasks of the fan-out run for --ui. Default: 100000.")
  int uiFanout = 100_000;

  @Option(
      names = "--ui-log-lines",
      description = "Log lines of one task for --ui. Default: 1000000.")
  int uiLogLines = 1_000_000;

  @Option(names = "--ui-requests", description = "Timed requests per page for --ui. Default: 100.")
  int uiRequests = 100;

  @Override
  public Integer call() throws Exception {
    LogFormat.quietAccessLog();
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
        if (ui || fanout != null) {
          node.definitions()
              .put(
                  BenchSupport.PROJECT,
                  "workflow",
                  BenchSupport.WORKFLOW,
                  BenchSupport.FANOUT_WORKFLOW,
                  true,
                  BenchSupport.BENCH);
          if (ui) {
            if (uiRuns < 1
                || uiTasksPerRun < 1
                || uiFanout < 1
                || uiLogLines < 1
                || uiRequests < 1) {
              throw new ParameterException(spec.commandLine(), "the --ui sizes must be positive");
            }
            String token = "rl_bench-" + java.util.UUID.randomUUID();
            node.tokens().bootstrapAdmin(token);
            result =
                new UiBench(
                        target,
                        node.url(),
                        token,
                        new UiBench.Settings(
                            uiRuns, uiTasksPerRun, uiFanout, uiLogLines, uiRequests),
                        err)
                    .run();
          } else {
            result = new FanOutBench(target, fanout, workers, warmup, err).run(heap);
          }
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
