package dev.runledger.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;

/** Peak heap: the JVM's heap pools' peak usage, plus a sampler of total heap in use. */
public final class HeapSampler implements AutoCloseable {
  private final Thread thread;
  private volatile boolean running = true;
  private volatile long peak;

  public HeapSampler() {
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

  public void reset() {
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      pool.resetPeakUsage();
    }
    peak = 0;
  }

  /** The larger of the sampled peak and the sum of the heap pools' peaks, in MiB. */
  public long peakMb() {
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
