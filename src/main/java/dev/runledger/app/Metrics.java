package dev.runledger.app;

import dev.runledger.api.ApiMetrics;
import dev.runledger.engine.run.StatusObserver;
import dev.runledger.model.RunStatus;
import dev.runledger.model.TaskStatus;
import dev.runledger.store.JobRepository;
import dev.runledger.store.Store;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's metrics, in Prometheus text format at {@code GET /metrics} (Micrometer): runs started
 * and finished by status, tasks finished by outcome, the queue's depth and the age of its oldest
 * queued job (read from the store when scraped, at most once a second), HTTP requests by route and
 * status, and the JVM's memory, GC, threads, CPU, file descriptors and uptime.
 */
final class Metrics implements StatusObserver, ApiMetrics {
  private static final Logger LOG = LoggerFactory.getLogger(Metrics.class);
  private static final Duration DEPTH_FRESH = Duration.ofSeconds(1);

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Store store;
  private final Clock clock;
  private final Counter runsStarted;
  private final Map<RunStatus, Counter> runsFinished = new EnumMap<>(RunStatus.class);
  private final Map<TaskStatus, Counter> tasksFinished = new EnumMap<>(TaskStatus.class);
  private volatile JobRepository.Depth depth = new JobRepository.Depth(0, 0, null);
  private volatile Instant depthReadAt = Instant.EPOCH;

  Metrics(Store store, Clock clock, String node, String version) {
    this.store = store;
    this.clock = clock;
    registry.config().commonTags("node", node);
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    Gauge.builder("runledger.build.info", () -> 1)
        .description("This node's Runledger version")
        .tag("version", version)
        .register(registry);
    runsStarted =
        Counter.builder("runledger.runs.started")
            .description("Runs that began running")
            .register(registry);
    for (RunStatus s : RunStatus.values()) {
      if (s.isTerminal()) {
        runsFinished.put(
            s,
            Counter.builder("runledger.runs.finished")
                .description("Runs that ended, by status")
                .tag("status", s.wire())
                .register(registry));
      }
    }
    for (TaskStatus s : TaskStatus.values()) {
      if (s.isTerminal()) {
        tasksFinished.put(
            s,
            Counter.builder("runledger.tasks.finished")
                .description("Tasks that ended, by outcome")
                .tag("outcome", s.wire())
                .register(registry));
      }
    }
    queueGauge("queued", d -> d.queued());
    queueGauge("leased", d -> d.leased());
    Gauge.builder(
            "runledger.queue.oldest.age",
            this,
            m -> {
              Instant oldest = m.depth().oldestQueued();
              return oldest == null
                  ? 0
                  : Math.max(0, Duration.between(oldest, clock.instant()).toMillis() / 1000.0);
            })
        .description("How long the oldest queued job has been available without being claimed")
        .baseUnit("seconds")
        .register(registry);
  }

  private void queueGauge(String state, ToDoubleFunction<JobRepository.Depth> value) {
    Gauge.builder("runledger.queue.jobs", this, m -> value.applyAsDouble(m.depth()))
        .description("Jobs in the queue, by state")
        .tag("state", state)
        .register(registry);
  }

  /** The queue's depth, read again when the last reading is more than a second old. */
  private JobRepository.Depth depth() {
    Instant now = clock.instant();
    if (Duration.between(depthReadAt, now).compareTo(DEPTH_FRESH) > 0) {
      try {
        depth = store.read(tx -> tx.jobs().depth());
        depthReadAt = now;
      } catch (RuntimeException e) {
        LOG.debug("queue depth not read: {}", e.getMessage());
      }
    }
    return depth;
  }

  @Override
  public void runMoved(RunStatus to) {
    if (to == RunStatus.RUNNING) {
      runsStarted.increment();
    }
    Counter c = runsFinished.get(to);
    if (c != null) {
      c.increment();
    }
  }

  @Override
  public void taskMoved(TaskStatus to) {
    Counter c = tasksFinished.get(to);
    if (c != null) {
      c.increment();
    }
  }

  @Override
  public void request(String method, String route, int status, Duration took) {
    Timer.builder("runledger.http.requests")
        .description("HTTP requests answered, by method, route template and status")
        .tag("method", method)
        .tag("route", route)
        .tag("status", String.valueOf(status))
        .publishPercentileHistogram()
        .register(registry)
        .record(took);
  }

  @Override
  public String scrape() {
    return registry.scrape();
  }
}
