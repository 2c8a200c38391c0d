package dev.runledger.app;

import dev.runledger.engine.queue.WorkerPool;
import dev.runledger.store.JobSignals;

/**
 * How the run side signals this node's workers, which are built after it: a run that queues a job
 * wakes them (and, on PostgreSQL, the other nodes' workers), an abort stops its attempts here.
 * Signals sent before the workers exist (while resuming runs at start) have nobody to reach and are
 * dropped: the workers claim on their first poll anyway.
 */
final class WorkerSignals {
  private final JobSignals others;
  private volatile WorkerPool workers;

  /** {@code others}: how the other nodes on the store hear of jobs this node queued. */
  WorkerSignals(JobSignals others) {
    this.others = others;
  }

  void attach(WorkerPool workers) {
    this.workers = workers;
  }

  /** Jobs were queued: this node's workers and the other nodes' look for them. */
  void wake() {
    WorkerPool w = workers;
    if (w != null) {
      w.wake();
    }
    others.jobsQueued();
  }

  void abortRun(String runId, String cause) {
    WorkerPool w = workers;
    if (w != null) {
      w.abortRun(runId, cause);
    }
  }
}
