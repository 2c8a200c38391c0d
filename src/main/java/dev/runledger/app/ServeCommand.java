package dev.runledger.app;

import dev.runledger.cli.Cli;
import dev.runledger.engine.run.SubjectLimits;
import dev.runledger.model.Durations;
import dev.runledger.model.Role;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code runledger serve}: runs a node (HTTP API, workers, sealer, reaper) until SIGTERM. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    versionProvider = Cli.VersionProvider.class,
    description = "Start a Runledger server on this machine.")
public final class ServeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--port", description = "HTTP port (0 picks a free one). Default: 8080.")
  int port = 8080;

  @Option(names = "--host", description = "Address to listen on. Default: 127.0.0.1.")
  String host = "127.0.0.1";

  @Option(names = "--data-dir", description = "Where the embedded store and work files live.")
  Path dataDir = Path.of("data");

  @Option(names = "--db", description = "postgresql://user:pass@host:5432/db (default: SQLite).")
  String db;

  @Option(names = "--load", description = "Apply every definition file in DIR at start.")
  Path load;

  @Option(names = "--workers", description = "Worker threads on this node.")
  int workers = ServerConfig.DEFAULT_WORKERS;

  @Option(
      names = "--trigger-rate",
      description = "Triggers a minute per principal (0 = no limit). Env RUNLEDGER_TRIGGER_RATE.")
  Integer triggerRate;

  @Option(
      names = "--trigger-rate-operator",
      description = "Triggers a minute for operators. Env RUNLEDGER_TRIGGER_RATE_OPERATOR.")
  Integer triggerRateOperator;

  @Option(
      names = "--trigger-rate-approver",
      description = "Triggers a minute for approvers. Env RUNLEDGER_TRIGGER_RATE_APPROVER.")
  Integer triggerRateApprover;

  @Option(
      names = "--trigger-rate-admin",
      description = "Triggers a minute for admins. Env RUNLEDGER_TRIGGER_RATE_ADMIN.")
  Integer triggerRateAdmin;

  @Option(
      names = "--allow-http-to",
      description =
          "Hosts or CIDR ranges http actions may reach although internal. Env RUNLEDGER_HTTP_ALLOW.")
  String allowHttpTo;

  @Option(names = "--max-body", description = "Largest request body in bytes. Default: 1 MiB.")
  long maxBody = 1 << 20;

  @Option(
      names = "--retain-logs",
      paramLabel = "DURATION",
      description =
          "Delete the logs of runs ended longer ago than this (e.g. 30d); the records stay."
              + " Default: keep.")
  String retainLogs;

  @Option(
      names = "--retain-artifacts",
      paramLabel = "DURATION",
      description =
          "Delete artifact bytes no run ended within this period refers to (e.g. 90d); the"
              + " records stay. Default: keep.")
  String retainArtifacts;

  @Option(
      names = "--max-artifact-bytes",
      paramLabel = "SIZE",
      description =
          "Largest output file a task may keep (e.g. 100MiB); a larger one fails the task."
              + " Default: 256MiB.")
  String maxArtifactBytes;

  @Option(
      names = "--max-run-artifact-bytes",
      paramLabel = "SIZE",
      description =
          "Most output bytes one run may keep (e.g. 1GiB); the task that would exceed it fails."
              + " Default: 2GiB.")
  String maxRunArtifactBytes;

  @Option(
      names = "--log-format",
      paramLabel = "text|json",
      description =
          "How the server logs on stderr: text, or json (one object a line, for a log shipper)."
              + " Env RUNLEDGER_LOG_FORMAT. Default: text.")
  String logFormat;

  @Option(
      names = "--log-streams-per-principal",
      paramLabel = "N",
      description =
          "Log streams (logs?follow=true) one principal may hold open at once (0 = no limit)."
              + " Env RUNLEDGER_LOG_STREAMS_PER_PRINCIPAL. Default: 20.")
  Integer logStreamsPerPrincipal;

  @Option(
      names = "--max-subjects-per-step",
      paramLabel = "N",
      description =
          "Most subjects one step may fan out to. Env RUNLEDGER_MAX_SUBJECTS_PER_STEP."
              + " Default: 1000000.")
  Integer maxSubjectsPerStep;

  @Option(
      names = "--max-subjects-per-run",
      paramLabel = "N",
      description =
          "Most tasks one run may have over all its steps. Env RUNLEDGER_MAX_SUBJECTS_PER_RUN."
              + " Default: 1000000.")
  Integer maxSubjectsPerRun;

  @Option(
      names = "--isolation",
      paramLabel = "MODE",
      description =
          "How commands are kept from the server: sandbox (bubblewrap), user (--run-as), none, or"
              + " auto (the strongest available). Env RUNLEDGER_ISOLATION. Default: auto.")
  String isolation;

  @Option(
      names = "--run-as",
      paramLabel = "USER",
      description =
          "The unprivileged user commands run as (isolation user; the server runs as root)."
              + " Env RUNLEDGER_RUN_AS.")
  String runAs;

  @Option(
      names = "--sandbox-writable",
      paramLabel = "DIR",
      split = ",",
      description =
          "Directories sandboxed commands may write besides their own and the temp directory."
              + " Env RUNLEDGER_SANDBOX_WRITABLE (comma-separated).")
  List<Path> sandboxWritable;

  @Option(
      names = "--node-name",
      paramLabel = "NAME",
      description =
          "This node's name: its attempts' host and its entry in GET /api/nodes. Default: the host"
              + " name. Env RUNLEDGER_NODE_NAME.")
  String nodeName;

  @Option(
      names = "--no-migrate",
      description =
          "Do not migrate the store at start; refuse one that needs migrations (run `runledger db"
              + " migrate` once per deployment instead).")
  boolean noMigrate;

  @Option(
      names = "--cors-origin",
      paramLabel = "ORIGIN",
      split = ",",
      description =
          "Origins (https://app.example.com, or *) a browser may call the API from; CORS is off"
              + " without it. Env RUNLEDGER_CORS_ORIGINS (comma-separated).")
  List<String> corsOrigins;

  /** Per-role trigger rates from flags, else from the environment; unset roles use the default. */
  private Map<Role, Integer> ratesByRole() {
    Map<Role, Integer> rates = new EnumMap<>(Role.class);
    rate(rates, Role.OPERATOR, triggerRateOperator);
    rate(rates, Role.APPROVER, triggerRateApprover);
    rate(rates, Role.ADMIN, triggerRateAdmin);
    return rates;
  }

  private static void rate(Map<Role, Integer> rates, Role role, Integer flag) {
    String env = System.getenv("RUNLEDGER_TRIGGER_RATE_" + role.name());
    Integer rate = flag != null ? flag : env == null || env.isBlank() ? null : Integer.valueOf(env);
    if (rate != null) {
      rates.put(role, rate);
    }
  }

  /** The node's configuration from the flags and the environment. */
  ServerConfig config() {
    String name = flagOrEnv(nodeName, "RUNLEDGER_NODE_NAME");
    if (name != null && !name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}")) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(),
          "--node-name (or RUNLEDGER_NODE_NAME) has 1 to 63 letters, digits, dots, dashes and"
              + " underscores, starting with a letter or digit");
    }
    int rate =
        triggerRate != null
            ? triggerRate
            : Integer.parseInt(
                Optional.ofNullable(System.getenv("RUNLEDGER_TRIGGER_RATE")).orElse("60"));
    String allow =
        allowHttpTo != null
            ? allowHttpTo
            : Optional.ofNullable(System.getenv("RUNLEDGER_HTTP_ALLOW")).orElse("");
    return new ServerConfig(
        host,
        port,
        dataDir,
        db,
        load,
        workers,
        rate,
        allow,
        System.getenv("RUNLEDGER_ADMIN_TOKEN"),
        maxBody,
        Duration.ofSeconds(30),
        Duration.ofSeconds(20),
        evidence(),
        ratesByRole(),
        System.getenv("RUNLEDGER_SECRET_KEY"),
        logStreams(),
        subjects(),
        flagOrEnv(isolation, "RUNLEDGER_ISOLATION"),
        flagOrEnv(runAs, "RUNLEDGER_RUN_AS"),
        sandboxWritable != null
            ? sandboxWritable
            : Optional.ofNullable(flagOrEnv(null, "RUNLEDGER_SANDBOX_WRITABLE"))
                .map(v -> java.util.Arrays.stream(v.split(",")).map(Path::of).toList())
                .orElse(List.of()),
        name,
        !noMigrate,
        ServerConfig.DEFAULT_IDLE_POLL,
        corsOrigins != null
            ? corsOrigins
            : Optional.ofNullable(flagOrEnv(null, "RUNLEDGER_CORS_ORIGINS"))
                .map(v -> java.util.Arrays.stream(v.split(",")).map(String::trim).toList())
                .orElse(List.of()));
  }

  private int logStreams() {
    String env = System.getenv("RUNLEDGER_LOG_STREAMS_PER_PRINCIPAL");
    int n;
    try {
      n =
          logStreamsPerPrincipal != null
              ? logStreamsPerPrincipal
              : env == null || env.isBlank()
                  ? ServerConfig.DEFAULT_LOG_STREAMS_PER_PRINCIPAL
                  : Integer.parseInt(env.trim());
    } catch (NumberFormatException e) {
      n = -1;
    }
    if (n < 0) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(),
          "--log-streams-per-principal (or RUNLEDGER_LOG_STREAMS_PER_PRINCIPAL) must be a number"
              + " from 0");
    }
    return n;
  }

  private LogFormat logFormat() {
    String value =
        logFormat != null
            ? logFormat
            : Optional.ofNullable(System.getenv("RUNLEDGER_LOG_FORMAT")).orElse("text");
    try {
      return LogFormat.parse(value);
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  private SubjectLimits subjects() {
    int perStep = limit("--max-subjects-per-step", maxSubjectsPerStep, "PER_STEP");
    int perRun = limit("--max-subjects-per-run", maxSubjectsPerRun, "PER_RUN");
    return new SubjectLimits(perStep, perRun);
  }

  /** A subject limit from its flag, else from RUNLEDGER_MAX_SUBJECTS_{suffix}, else the default. */
  private int limit(String flag, Integer value, String suffix) {
    String env = System.getenv("RUNLEDGER_MAX_SUBJECTS_" + suffix);
    try {
      int n =
          value != null
              ? value
              : env == null || env.isBlank() ? SubjectLimits.DEFAULT : Integer.parseInt(env.trim());
      if (n < 1) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), flag + ": a limit is a whole number of at least 1");
    }
  }

  private static String flagOrEnv(String flag, String env) {
    String value = flag != null ? flag : System.getenv(env);
    return value == null || value.isBlank() ? null : value.strip();
  }

  private EvidenceConfig evidence() {
    EvidenceConfig defaults = EvidenceConfig.DEFAULTS;
    long perFile = size("--max-artifact-bytes", maxArtifactBytes, defaults.maxFileBytes());
    long perRun = size("--max-run-artifact-bytes", maxRunArtifactBytes, defaults.maxRunBytes());
    return new EvidenceConfig(period(retainLogs), period(retainArtifacts), perFile, perRun);
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    logFormat().apply();
    ServerConfig config = config();
    Runledger node = Runledger.start(config);
    AdminBootstrap.run(node.tokens(), config.adminToken(), config.dataDir(), out);
    if (load != null) {
      out.println("Loaded " + node.loaded() + " definitions from " + load);
    }
    CountDownLatch stop = new CountDownLatch(1);
    // SIGTERM and SIGINT: stop claiming, let in-flight attempts finish, then exit 0. What is left
    // unfinished resumes at the next start.
    for (String name : new String[] {"TERM", "INT"}) {
      sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> stop.countDown());
    }
    out.println("Runledger listening on http://127.0.0.1:" + node.port());
    out.flush();
    stop.await();
    out.println("Stopping: letting in-flight attempts finish");
    out.flush();
    node.close();
    return 0;
  }

  private long size(String flag, String text, long defaultBytes) {
    if (text == null || text.isBlank()) {
      return defaultBytes;
    }
    try {
      return ByteSizes.parse(text);
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), flag + ": " + e.getMessage());
    }
  }

  private Duration period(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return Durations.parse(text);
    } catch (RuntimeException e) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "'" + text + "' is not a duration such as 30d or 12h");
    }
  }
}
