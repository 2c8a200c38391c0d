package dev.runledger.app;

import dev.runledger.engine.queue.WorkerPool;

/**
 * How the run side signals this node's workers, which are built after it: a run that queues a job
 * wakes them, an abort stops its attempts here. Signals sent before the workers exist (while
 * resuming runs at start) have nobody to reach and are dropped: the workers claim on their first
 * poll anyway.
 */
final class WorkerSignals {
  private volatile WorkerPool workers;

  void attach(WorkerPool workers) {
    this.workers = workers;
  }

  void wake() {
    WorkerPool w = workers;
    if (w != null) {
      w.wake();
    }
  }

  void abortRun(String runId, String cause) {
    WorkerPool w = workers;
    if (w != null) {
      w.abortRun(runId, cause);
    }
  }
}
