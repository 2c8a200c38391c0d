package dev.runledger.bench;

import static dev.runledger.bench.BenchSupport.BENCH;
import static dev.runledger.bench.BenchSupport.PROJECT;
import static dev.runledger.bench.BenchSupport.WORKFLOW;
import static dev.runledger.bench.BenchSupport.round;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runledger.engine.run.TriggerRequest;
import dev.runledger.model.Json;
import dev.runledger.model.RunStatus;
import dev.runledger.model.TaskStatus;
import java.io.PrintWriter;
import java.util.concurrent.TimeUnit;

/** One workflow run whose single step fans out over {@code fanout} subjects, trigger to end. */
public final class FanOutBench {
  private final BenchNode node;
  private final int fanout;
  private final int workers;
  private final Integer warmup;
  private final PrintWriter err;

  /** {@code warmup} null means a fan-out of a fifth of {@code fanout} first. */
  public FanOutBench(BenchNode node, int fanout, int workers, Integer warmup, PrintWriter err) {
    this.node = node;
    this.fanout = fanout;
    this.workers = workers;
    this.warmup = warmup;
    this.err = err;
  }

  public ObjectNode run(HeapSampler heap) throws Exception {
    // Warm up (JIT, connections, caches) with a smaller fan-out, not counted.
    int warm = Math.max(10, warmup == null ? fanout / 5 : warmup);
    awaitRun(trigger(warm));
    node.sealer().sealNow();

    heap.reset();
    long start = System.nanoTime();
    String id = trigger(fanout);
    long triggered = System.nanoTime();
    RunStatus status = awaitRun(id);
    long terminal = System.nanoTime();
    int sealed = node.sealer().sealNow();
    long sealedAt = System.nanoTime();
    long unsealed = node.store().read(tx -> tx.audit().countUnsealed());
    BenchSupport.printThreadCpuIfAsked(err);
    var run = node.store().read(tx -> tx.runs().find(id)).orElseThrow();
    var counts = node.store().read(tx -> tx.runSteps().counts(id));
    double seconds = (terminal - start) / 1e9;
    ObjectNode r = Json.object();
    r.put("store", node.storeName());
    r.put("fanout", fanout);
    r.put("tasks", counts.values().stream().mapToInt(Integer::intValue).sum());
    r.put("tasksPerSecond", round(fanout / seconds, 1));
    r.put("runStatus", status.wire());
    r.put("tasksSucceeded", counts.getOrDefault(TaskStatus.SUCCEEDED, 0));
    r.put("actionsInvoked", run.actionsInvoked());
    r.put("workers", workers);
    r.put("warmupTasks", warm);
    r.put("seconds", round(seconds, 3));
    r.put("triggerSeconds", round((triggered - start) / 1e9, 3));
    r.put("sealSecondsAfter", round((sealedAt - terminal) / 1e9, 3));
    r.put("auditEventsSealedAfter", sealed);
    r.put("auditEventsUnsealed", unsealed);
    return r;
  }

  private String trigger(int n) {
    ObjectNode parameters = Json.object().put("n", n);
    TriggerRequest request =
        new TriggerRequest(PROJECT, WORKFLOW, parameters, null, BENCH, "bench", null);
    return node.runs().triggerWorkflow(request).run().id();
  }

  /** Polls the run until it is terminal; returns its status. */
  private RunStatus awaitRun(String id) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
    while (System.nanoTime() < deadline) {
      RunStatus status = node.store().read(tx -> tx.runs().find(id)).orElseThrow().status();
      if (status.isTerminal()) {
        return status;
      }
      Thread.sleep(5);
    }
    throw new IllegalStateException("the fan-out run did not finish within 30 minutes");
  }
}
