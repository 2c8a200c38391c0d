package dev.runledger.executor;

import java.util.ArrayList;
import java.util.List;

/** Set once when an attempt must stop; executors register what to do on abort. */
public final class AbortSignal {
  private final List<Runnable> listeners = new ArrayList<>();
  private volatile String reason;

  /** Raises the signal; listeners run once, on the calling thread. */
  public void abort(String reason) {
    List<Runnable> toRun;
    synchronized (this) {
      if (this.reason != null) {
        return;
      }
      this.reason = reason;
      toRun = List.copyOf(listeners);
    }
    toRun.forEach(Runnable::run);
  }

  public boolean isAborted() {
    return reason != null;
  }

  /** The cause to record, for example "aborted by alice: wrong input". */
  public String reason() {
    return reason;
  }

  /** Runs {@code listener} on abort, or now if already aborted. */
  public void onAbort(Runnable listener) {
    synchronized (this) {
      if (reason == null) {
        listeners.add(listener);
        return;
      }
    }
    listener.run();
  }
}
