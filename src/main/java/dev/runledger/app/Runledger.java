package dev.runledger.app;

import dev.runledger.api.ApiContext;
import dev.runledger.api.ApiServer;
import dev.runledger.audit.AuditHasher;
import dev.runledger.audit.AuditLog;
import dev.runledger.audit.AuditSealer;
import dev.runledger.audit.AuditVerifier;
import dev.runledger.definition.Definitions;
import dev.runledger.definition.Expressions;
import dev.runledger.engine.access.SecretCipher;
import dev.runledger.engine.access.SecretService;
import dev.runledger.engine.access.TokenService;
import dev.runledger.engine.access.WebSessionService;
import dev.runledger.engine.catalog.DefinitionService;
import dev.runledger.engine.evidence.ArtifactService;
import dev.runledger.engine.evidence.RetentionJob;
import dev.runledger.engine.governance.ApprovalService;
import dev.runledger.engine.governance.RetryService;
import dev.runledger.engine.governance.ReviewService;
import dev.runledger.engine.queue.AttemptRunner;
import dev.runledger.engine.queue.JobClaimer;
import dev.runledger.engine.queue.NodePresence;
import dev.runledger.engine.queue.OutcomeRecorder;
import dev.runledger.engine.queue.Reaper;
import dev.runledger.engine.queue.WorkerPool;
import dev.runledger.engine.run.ChildRuns;
import dev.runledger.engine.run.RunAdvancer;
import dev.runledger.engine.run.RunService;
import dev.runledger.engine.run.StateChanges;
import dev.runledger.engine.run.StepExpander;
import dev.runledger.engine.run.TaskPlanner;
import dev.runledger.engine.trigger.EngineBuiltins;
import dev.runledger.engine.trigger.EventService;
import dev.runledger.engine.trigger.Scheduler;
import dev.runledger.engine.trigger.WebhookService;
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
import dev.runledger.store.JobSignals;
import dev.runledger.store.Store;
import dev.runledger.web.WebUi;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
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
  private final Metrics metrics;
  private final NodePresence presence;
  private final JobSignals jobSignals;

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

  /**
   * Wires one node, subsystem by subsystem, each from the ones above it: the node and its store;
   * the catalog of definitions; runs; access (tokens, secrets); evidence; the queue and its
   * workers; triggers; governance; the HTTP API. Nothing starts here (see {@link #startAll}).
   */
  private Runledger(ServerConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;

    // The node: its data directory, how it isolates commands, its store and audit trail.
    this.directory = NodeDirectory.open(config.dataDir());
    IsolationSetup.Chosen chosen;
    try {
      chosen = new IsolationSetup(config, directory.nodeId()).choose();
      this.store = new Store(Database.open(config.db(), config.dataDir(), config.migrate()));
    } catch (RuntimeException e) {
      directory.close();
      throw e;
    }
    this.isolation = chosen.isolation();
    this.workRoot = chosen.workRoot();
    store.chainAuditEventsOnInsert(AuditHasher::hash, AuditHasher.GENESIS);
    this.sealer = new AuditSealer(store);
    this.verifier = new AuditVerifier(store);
    AuditLog audit = new AuditLog(clock, sealer::wake);
    String host = config.nodeName() != null ? config.nodeName() : hostName();
    this.metrics = new Metrics(store, clock, host, VERSION);
    // Lease owner "host:nodeId:incarnation": a restart on the same data directory knows which
    // leases its previous incarnation held.
    this.nodeMarker = ":" + directory.nodeId() + ":";

    // The catalog: definitions and their revisions.
    Definitions definitions =
        new Definitions(clock, Expressions.Limits.withElements(config.subjects().largestList()));
    this.definitionService = new DefinitionService(store, definitions, audit, clock);

    // Runs: planning, advancing, child runs, cancel and abort.
    this.jobSignals = JobSignals.of(store);
    WorkerSignals signals = new WorkerSignals(jobSignals);
    StateChanges changes = new StateChanges(audit, clock, metrics);
    RunAdvancer advancer =
        new RunAdvancer(
            changes,
            audit,
            new TaskPlanner(
                definitionService, new StepExpander(definitions, config.subjects()), clock),
            clock,
            signals::wake);
    this.runService =
        new RunService(
            store, definitionService, advancer, changes, audit, clock, VERSION, signals::abortRun);
    ChildRuns childRuns =
        new ChildRuns(runService, changes, advancer, definitionService, clock, host);
    runService.connect(childRuns);
    advancer.connect(store, runService::runEnded);
    this.planning = daemonThread("runledger-fan-out", Executors::newSingleThreadExecutor);
    advancer.prepareOn(planning);

    // Access: API tokens and project secrets.
    this.tokenService = new TokenService(store, audit, clock);
    this.secretService =
        new SecretService(
            store,
            audit,
            clock,
            new SecretCipher(SecretKeys.load(config.secretKey(), config.dataDir())));

    // Evidence: artifact bytes, their records and retention.
    this.blobs = BlobStore.forStore(store, config.dataDir().toAbsolutePath(), clock);
    ArtifactService artifacts =
        new ArtifactService(
            store, blobs, clock, config.evidence().maxFileBytes(), config.evidence().maxRunBytes());
    this.retention =
        new RetentionJob(
            store,
            blobs,
            audit,
            clock,
            config.evidence().retainLogs(),
            config.evidence().retainArtifacts());

    // Triggers: events (also emitted by the emit built-in) and schedules.
    this.events = new EventService(store, definitionService, runService, audit, clock);
    this.scheduler = new Scheduler(store, definitionService, runService, audit, clock);

    // The queue: claims, executors, attempts, outcomes, the workers and the reaper.
    this.recorder = new OutcomeRecorder(changes, advancer, audit, clock, signals::wake, artifacts);
    this.claimer = new JobClaimer(changes, advancer, clock, host, childRuns);
    this.commands =
        new CommandExecutor(
            CommandExecutor.DEFAULT_KILL_GRACE,
            CommandExecutor.defaultBaseEnvironment(),
            isolation);
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
            config.idlePoll());
    signals.attach(workers);
    this.presence =
        new NodePresence(
            store, clock, workers.owner(), host, VERSION, config.workers(), workers::inFlight);
    this.reaper = new Reaper(store, recorder, advancer, definitionService, clock);

    // Governance: approvals, reviews, retries and reruns.
    this.approvalService =
        new ApprovalService(store, changes, advancer, audit, clock, signals::wake);
    ReviewService reviews = new ReviewService(store, changes, audit, clock);
    RetryService retries =
        new RetryService(
            store, runService, definitionService, changes, advancer, audit, clock, signals::wake);

    // The HTTP API and the web UI beside it, over the services above.
    ApiContext apiContext =
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
            reviews,
            retries,
            clock,
            config.maxBodyBytes(),
            config.triggersPerMinute(),
            blobs,
            config.triggerRatesByRole(),
            events,
            new WebhookService(store, audit, clock),
            config.logStreamsPerPrincipal(),
            scheduler,
            config.corsOrigins());
    this.api =
        new ApiServer(
            apiContext,
            metrics,
            new WebUi(apiContext, new WebSessionService(store, tokenService, audit, clock)));
    this.maintenance =
        daemonThread("runledger-reaper", Executors::newSingleThreadScheduledExecutor);
  }

  private static <T> T daemonThread(
      String name, java.util.function.Function<java.util.concurrent.ThreadFactory, T> executor) {
    return executor.apply(
        r -> {
          Thread t = new Thread(r, name);
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
    resumeWork();
    workers.start();
    jobSignals.start(workers::wake);
    presence.beat();
    scheduleMaintenance();
    if (config.load() != null) {
      loadDefinitions();
    }
    port = api.start(config.host(), config.port());
  }

  /**
   * What an earlier incarnation on this data directory left: its orphaned commands ended, its
   * leased attempts recorded as worker lost, secrets of older versions encrypted, runs resumed.
   */
  private void resumeWork() {
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
  }

  /**
   * Lease expiry and approval expiry, retention, schedule ticks and this node's heartbeat, each on
   * its own period.
   */
  private void scheduleMaintenance() {
    long every = Math.max(1000, config.lease().toMillis() / 2);
    repeat(
        "maintenance pass",
        () -> {
          reaper.reapExpired();
          approvalService.expireDue();
        },
        every,
        every,
        TimeUnit.MILLISECONDS);
    // Hourly even without a retention period: the pass also sweeps orphaned blob contents.
    repeat("retention pass", retention::pruneNow, 1, 60, TimeUnit.MINUTES);
    repeat("scheduler tick", scheduler::tick, 0, 1000, TimeUnit.MILLISECONDS);
    long beat = NodePresence.BEAT.toMillis();
    repeat("node heartbeat", presence::beat, beat, beat, TimeUnit.MILLISECONDS);
  }

  private void repeat(String what, Runnable task, long initial, long period, TimeUnit unit) {
    maintenance.scheduleWithFixedDelay(
        () -> {
          try {
            task.run();
          } catch (RuntimeException e) {
            LOG.warn("{} failed", what, e);
          }
        },
        initial,
        period,
        unit);
  }

  /** Applies the definitions of {@code --load}, logging what each file did. */
  private void loadDefinitions() {
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
    jobSignals.close();
    workers.shutdown(config.shutdownGrace());
    maintenance.shutdownNow();
    planning.shutdownNow();
    sealer.sealNow();
    sealer.close();
    store.close();
    directory.close();
  }

  /** Deletes what a directory holds, keeping the directory; logs what it could not delete. */
  static void deleteContents(Path dir) {
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
