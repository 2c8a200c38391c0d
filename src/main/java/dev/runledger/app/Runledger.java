package dev.runledger.app;

import dev.runledger.api.ApiContext;
import dev.runledger.api.ApiServer;
import dev.runledger.audit.AuditHasher;
import dev.runledger.audit.AuditLog;
import dev.runledger.audit.AuditSealer;
import dev.runledger.audit.AuditVerifier;
import dev.runledger.definition.Definitions;
import dev.runledger.definition.Expressions;
import dev.runledger.engine.ApprovalService;
import dev.runledger.engine.ArtifactService;
import dev.runledger.engine.AttemptRunner;
import dev.runledger.engine.ChildRuns;
import dev.runledger.engine.DefinitionService;
import dev.runledger.engine.EngineBuiltins;
import dev.runledger.engine.EventService;
import dev.runledger.engine.JobClaimer;
import dev.runledger.engine.OutcomeRecorder;
import dev.runledger.engine.Reaper;
import dev.runledger.engine.RetentionJob;
import dev.runledger.engine.RetryService;
import dev.runledger.engine.ReviewService;
import dev.runledger.engine.RunAdvancer;
import dev.runledger.engine.RunService;
import dev.runledger.engine.Scheduler;
import dev.runledger.engine.SecretCipher;
import dev.runledger.engine.SecretService;
import dev.runledger.engine.StateChanges;
import dev.runledger.engine.StepExpander;
import dev.runledger.engine.TaskPlanner;
import dev.runledger.engine.TokenService;
import dev.runledger.engine.WebhookService;
import dev.runledger.engine.WorkerPool;
import dev.runledger.executor.BuiltinExecutor;
import dev.runledger.executor.CommandExecutor;
import dev.runledger.executor.CommandIsolation;
import dev.runledger.executor.ExecutorRegistry;
import dev.runledger.executor.HttpExecutor;
import dev.runledger.executor.OutboundAddressPolicy;
import dev.runledger.model.Principal;
import dev.runledger.model.Role;
import dev.runledger.store.BlobStore;
import dev.runledger.store.Database;
import dev.runledger.store.Store;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that wires Runledger together: constructors all the way down, no singletons. A
 * started instance owns the store, the workers, the sealer, the reaper and the HTTP server.
 */
public final class Runledger implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Runledger.class);
  public static final String VERSION = version();

  /** Where attempts' working directories live inside the data directory (unless run as a user). */
  static final String WORK_DIR = "work";

  private final ServerConfig config;
  private final Clock clock;
  private final Store store;
  private final AuditSealer sealer;
  private final WorkerPool workers;
  private final Reaper reaper;
  private final ApprovalService approvalService;
  private final JobClaimer claimer;
  private final OutcomeRecorder recorder;
  private final ApiServer api;
  private final ScheduledExecutorService maintenance;

  /** Where fan-out lists are evaluated, outside the shared writer. */
  private final ExecutorService planning;

  private final DefinitionService definitionService;
  private final RunService runService;
  private final TokenService tokenService;
  private final SecretService secretService;
  private final AuditVerifier verifier;
  private final NodeDirectory directory;
  private final EventService events;
  private final Scheduler scheduler;
  private final CommandExecutor commands;
  private final CommandIsolation isolation;
  private final Path workRoot;
  private final BlobStore blobs;
  private final RetentionJob retention;
  private final String nodeMarker;
  private int port = -1;
  private int loaded;

  private Runledger(ServerConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
    this.directory = NodeDirectory.open(config.dataDir());
    IsolationSetup.Chosen chosen;
    try {
      chosen = new IsolationSetup(config, directory.nodeId()).choose();
    } catch (RuntimeException e) {
      directory.close();
      throw e;
    }
    this.isolation = chosen.isolation();
    this.workRoot = chosen.workRoot();
    try {
      this.store = new Store(Database.open(config.db(), config.dataDir()));
    } catch (RuntimeException e) {
      directory.close();
      throw e;
    }
    store.chainAuditEventsOnInsert(AuditHasher::hash, AuditHasher.GENESIS);
    this.sealer = new AuditSealer(store);
    AuditLog audit = new AuditLog(clock, sealer::wake);
    Definitions definitions =
        new Definitions(clock, Expressions.Limits.withElements(config.subjects().largestList()));
    this.definitionService = new DefinitionService(store, definitions, audit, clock);
    StateChanges changes = new StateChanges(audit, clock);
    WorkerPool[] pool = new WorkerPool[1];
    Runnable wake =
        () -> {
          if (pool[0] != null) {
            pool[0].wake();
          }
        };
    RunAdvancer advancer =
        new RunAdvancer(
            changes,
            audit,
            new TaskPlanner(
                definitionService, new StepExpander(definitions, config.subjects()), clock),
            clock,
            wake);
    this.secretService =
        new SecretService(
            store,
            audit,
            clock,
            new SecretCipher(SecretKeys.load(config.secretKey(), config.dataDir())));
    this.tokenService = new TokenService(store, audit, clock);
    this.runService =
        new RunService(
            store,
            definitionService,
            advancer,
            changes,
            audit,
            clock,
            VERSION,
            (runId, cause) -> {
              if (pool[0] != null) {
                pool[0].abortRun(runId, cause);
              }
            });
    this.blobs = BlobStore.forStore(store, config.dataDir().toAbsolutePath(), clock);
    ArtifactService artifacts =
        new ArtifactService(
            store, blobs, clock, config.evidence().maxFileBytes(), config.evidence().maxRunBytes());
    this.recorder = new OutcomeRecorder(changes, advancer, audit, clock, wake, artifacts);
    String host = hostName();
    ChildRuns childRuns =
        new ChildRuns(runService, changes, advancer, definitionService, clock, host);
    runService.connect(childRuns);
    advancer.connect(store, runService::runEnded);
    this.planning =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "runledger-fan-out");
              t.setDaemon(true);
              return t;
            });
    advancer.prepareOn(planning);
    this.claimer = new JobClaimer(changes, advancer, clock, host, childRuns);
    this.commands =
        new CommandExecutor(
            CommandExecutor.DEFAULT_KILL_GRACE,
            CommandExecutor.defaultBaseEnvironment(),
            isolation);
    // Lease owner "host:nodeId:incarnation": a restart on the same data directory knows which
    // leases its previous incarnation held.
    this.nodeMarker = ":" + directory.nodeId() + ":";
    this.events = new EventService(store, definitionService, runService, audit, clock);
    this.scheduler = new Scheduler(store, definitionService, runService, audit, clock);
    ExecutorRegistry executors =
        ExecutorRegistry.withExtensions(
            List.of(
                commands,
                new HttpExecutor(OutboundAddressPolicy.parse(config.httpAllow())),
                new EngineBuiltins(new BuiltinExecutor(), events)));
    AttemptRunner runner =
        new AttemptRunner(executors, definitions, secretService, clock, workRoot, artifacts);
    this.workers =
        new WorkerPool(
            store,
            claimer,
            runner,
            recorder,
            definitionService,
            clock,
            host + nodeMarker + UUID.randomUUID().toString().substring(0, 8),
            config.workers(),
            config.lease(),
            Duration.ofMillis(500));
    pool[0] = workers;
    this.reaper = new Reaper(store, recorder, advancer, definitionService, clock);
    this.verifier = new AuditVerifier(store);
    this.retention =
        new RetentionJob(
            store,
            blobs,
            audit,
            clock,
            config.evidence().retainLogs(),
            config.evidence().retainArtifacts());
    this.approvalService = new ApprovalService(store, changes, advancer, audit, clock, wake);
    this.api =
        new ApiServer(
            new ApiContext(
                store,
                definitionService,
                runService,
                tokenService,
                secretService,
                audit,
                sealer,
                verifier,
                approvalService,
                new ReviewService(store, changes, audit, clock),
                new RetryService(
                    store, runService, definitionService, changes, advancer, audit, clock, wake),
                clock,
                config.maxBodyBytes(),
                config.triggersPerMinute(),
                blobs,
                config.triggerRatesByRole(),
                events,
                new WebhookService(store, audit, clock),
                config.logStreamsPerPrincipal(),
                scheduler,
                config.corsOrigins()));
    this.maintenance =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "runledger-reaper");
              t.setDaemon(true);
              return t;
            });
  }

  /** Opens the store, resumes unfinished work, starts workers and the HTTP server. */
  public static Runledger start(ServerConfig config) {
    return start(config, Clock.systemUTC());
  }

  public static Runledger start(ServerConfig config, Clock clock) {
    Runledger r = new Runledger(config, clock);
    r.startAll();
    return r;
  }

  private void startAll() {
    sealer.start();
    if (directory.exclusive()) {
      // The previous server on this data directory is gone (kill -9, crash): its commands may
      // still run in their own sessions. End them before their attempts are retried.
      commands.terminateOrphans(workRoot);
      deleteContents(workRoot);
    }
    int lost = 0;
    if (store.dialect().isSqlite()) {
      lost = reaper.reapAllLeased();
    } else if (directory.exclusive()) {
      lost = reaper.reapLeasedBy(nodeMarker);
    }
    if (lost > 0) {
      LOG.warn("{} attempts were running when the server stopped; recorded as worker lost", lost);
    }
    int encrypted = secretService.encryptPlainValues();
    if (encrypted > 0) {
      LOG.info("encrypted {} secrets stored in plain text by an earlier version", encrypted);
    }
    reaper.resumeRuns();
    workers.start();
    long every = Math.max(1000, config.lease().toMillis() / 2);
    maintenance.scheduleWithFixedDelay(
        () -> {
          try {
            reaper.reapExpired();
            approvalService.expireDue();
          } catch (RuntimeException e) {
            LOG.warn("maintenance pass failed", e);
          }
        },
        every,
        every,
        TimeUnit.MILLISECONDS);
    if (config.load() != null) {
      try (var lines = new java.io.StringWriter();
          var out = new java.io.PrintWriter(lines)) {
        loaded =
            new DefinitionLoader(definitionService)
                .load(config.load(), new Principal("system:loader", Role.ADMIN, null), out);
        out.flush();
        lines.toString().lines().forEach(line -> LOG.info("{}", line.trim()));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      } catch (RuntimeException e) {
        close();
        throw e;
      }
    }
    // Hourly even without a retention period: the pass also sweeps orphaned blob contents.
    maintenance.scheduleWithFixedDelay(
        () -> {
          try {
            retention.pruneNow();
          } catch (RuntimeException e) {
            LOG.warn("retention pass failed", e);
          }
        },
        1,
        60,
        TimeUnit.MINUTES);
    maintenance.scheduleWithFixedDelay(
        () -> {
          try {
            scheduler.tick();
          } catch (RuntimeException e) {
            LOG.warn("scheduler tick failed", e);
          }
        },
        0,
        1000,
        TimeUnit.MILLISECONDS);
    port = api.start(config.host(), config.port());
  }

  /** How many definitions {@code --load} applied at start. */
  public int loaded() {
    return loaded;
  }

  public int port() {
    return port;
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  public Store store() {
    return store;
  }

  public DefinitionService definitions() {
    return definitionService;
  }

  public RunService runs() {
    return runService;
  }

  public TokenService tokens() {
    return tokenService;
  }

  public SecretService secrets() {
    return secretService;
  }

  public AuditSealer sealer() {
    return sealer;
  }

  public AuditVerifier verifier() {
    return verifier;
  }

  /** The schedule runner (tests tick it after moving the clock). */
  public Scheduler scheduler() {
    return scheduler;
  }

  public EventService events() {
    return events;
  }

  public WorkerPool workers() {
    return workers;
  }

  public ApprovalService approvals() {
    return approvalService;
  }

  /** The claimer this node's workers use (tests drive it as a second worker would). */
  public JobClaimer claimer() {
    return claimer;
  }

  /** The recorder of attempt outcomes, fenced by lease. */
  public OutcomeRecorder recorder() {
    return recorder;
  }

  /** Where artifact bytes are kept. */
  public BlobStore blobs() {
    return blobs;
  }

  /** Deletes logs and artifact bytes past their retention period (tests call it directly). */
  public RetentionJob retention() {
    return retention;
  }

  public Reaper reaper() {
    return reaper;
  }

  public ApiServer api() {
    return api;
  }

  /** How this node isolates command attempts. */
  public CommandIsolation isolation() {
    return isolation;
  }

  /** Where this node's attempts get their working directories. */
  public Path workRoot() {
    return workRoot;
  }

  /** Stops claiming, lets in-flight attempts finish up to the grace period, then stops. */
  @Override
  public void close() {
    api.close();
    workers.shutdown(config.shutdownGrace());
    maintenance.shutdownNow();
    planning.shutdownNow();
    sealer.sealNow();
    sealer.close();
    store.close();
    directory.close();
  }

  private static void deleteContents(Path dir) {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths
          .sorted(Comparator.reverseOrder())
          .filter(p -> !p.equals(dir))
          .forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      LOG.warn("could not clear {}: {}", dir, e.getMessage());
    }
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      return "localhost";
    }
  }

  private static String version() {
    String v = Runledger.class.getPackage().getImplementationVersion();
    return v == null ? "0.1.0-dev" : v;
  }
}
