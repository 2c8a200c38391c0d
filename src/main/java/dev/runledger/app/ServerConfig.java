package dev.runledger.app;

import dev.runledger.engine.run.SubjectLimits;
import dev.runledger.model.Role;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * How a node is configured (flags and environment, read by {@link ServeCommand}).
 *
 * @param db null for the embedded store in {@code dataDir}
 * @param load a directory of definitions applied at start, or null
 * @param adminToken the first admin token's value (RUNLEDGER_ADMIN_TOKEN), or null to generate
 * @param httpAllow hosts and CIDR ranges http actions may reach although internal
 * @param evidence retention periods and artifact size limits
 * @param triggerRatesByRole triggers a minute for principals of a role, in place of {@code
 *     triggersPerMinute} (0 = no limit)
 * @param secretKey the base64 AES key for secrets at rest (RUNLEDGER_SECRET_KEY), or null to use
 *     (or make) {@code <dataDir>/secret.key}
 * @param logStreamsPerPrincipal how many {@code logs?follow=true} streams one principal may hold
 *     open at once (0 = no limit)
 * @param subjects how many subjects a step and a run may fan out to
 * @param isolation how command attempts are isolated: sandbox, user, none, or null for auto (the
 *     strongest available; docs/security.md)
 * @param runAs the unprivileged user commands run as (isolation user), or null
 * @param sandboxWritable directories besides the system temp directory that sandboxed commands may
 *     write
 * @param nodeName this node's name (its attempts' host, in GET /api/nodes), or null for the host
 *     name
 * @param idlePoll how long an idle node waits before it looks for jobs again when nothing woke it
 *     (another node's job signal on PostgreSQL, a job this node queued)
 * @param migrate whether the node migrates the store at start ({@code serve --no-migrate}: no, and
 *     it refuses a store that needs migrations)
 * @param corsOrigins origins browsers may call the API from ({@code --cors-origin}); empty: none
 */
public record ServerConfig(
    String host,
    int port,
    Path dataDir,
    String db,
    Path load,
    int workers,
    int triggersPerMinute,
    String httpAllow,
    String adminToken,
    long maxBodyBytes,
    Duration lease,
    Duration shutdownGrace,
    EvidenceConfig evidence,
    Map<Role, Integer> triggerRatesByRole,
    String secretKey,
    int logStreamsPerPrincipal,
    SubjectLimits subjects,
    String isolation,
    String runAs,
    List<Path> sandboxWritable,
    String nodeName,
    boolean migrate,
    Duration idlePoll,
    List<String> corsOrigins) {

  public static final int DEFAULT_LOG_STREAMS_PER_PRINCIPAL = 20;

  /** How long an idle node waits for work before it looks again unwoken. */
  public static final Duration DEFAULT_IDLE_POLL = Duration.ofMillis(500);

  public static final int DEFAULT_WORKERS =
      Math.max(8, Runtime.getRuntime().availableProcessors() * 4);

  public ServerConfig {
    evidence = evidence == null ? EvidenceConfig.DEFAULTS : evidence;
    triggerRatesByRole = triggerRatesByRole == null ? Map.of() : Map.copyOf(triggerRatesByRole);
    subjects = subjects == null ? SubjectLimits.DEFAULTS : subjects;
    sandboxWritable = sandboxWritable == null ? List.of() : List.copyOf(sandboxWritable);
    corsOrigins = corsOrigins == null ? List.of() : List.copyOf(corsOrigins);
  }

  /** The defaults of {@code serve} for a data directory (port 8080, embedded store). */
  public static ServerConfig defaults(Path dataDir) {
    return new ServerConfig(
        "127.0.0.1",
        8080,
        dataDir,
        null,
        null,
        DEFAULT_WORKERS,
        60,
        "",
        null,
        1 << 20,
        Duration.ofSeconds(30),
        Duration.ofSeconds(20),
        EvidenceConfig.DEFAULTS,
        Map.of(),
        null,
        DEFAULT_LOG_STREAMS_PER_PRINCIPAL,
        SubjectLimits.DEFAULTS,
        null,
        null,
        List.of(),
        null,
        true,
        DEFAULT_IDLE_POLL,
        List.of());
  }

  /** Defaults for tests: a free port, embedded store in {@code dataDir}, no trigger limit. */
  public static ServerConfig forTests(Path dataDir) {
    return defaults(dataDir)
        .with(
            c -> {
              c.port = 0;
              c.triggersPerMinute = 0;
              c.shutdownGrace = Duration.ofSeconds(5);
            });
  }

  /** A copy with some settings changed by {@code change}. */
  public ServerConfig with(Consumer<Change> change) {
    Change c = new Change(this);
    change.accept(c);
    return new ServerConfig(
        c.host,
        c.port,
        c.dataDir,
        c.db,
        c.load,
        c.workers,
        c.triggersPerMinute,
        c.httpAllow,
        c.adminToken,
        c.maxBodyBytes,
        c.lease,
        c.shutdownGrace,
        c.evidence,
        c.triggerRatesByRole,
        c.secretKey,
        c.logStreamsPerPrincipal,
        c.subjects,
        c.isolation,
        c.runAs,
        c.sandboxWritable,
        c.nodeName,
        c.migrate,
        c.idlePoll,
        c.corsOrigins);
  }

  /** The settings of a copy being made by {@link #with}. */
  public static final class Change {
    public String host;
    public int port;
    public Path dataDir;
    public String db;
    public Path load;
    public int workers;
    public int triggersPerMinute;
    public String httpAllow;
    public String adminToken;
    public long maxBodyBytes;
    public Duration lease;
    public Duration shutdownGrace;
    public EvidenceConfig evidence;
    public Map<Role, Integer> triggerRatesByRole;
    public String secretKey;
    public int logStreamsPerPrincipal;
    public SubjectLimits subjects;
    public String isolation;
    public String runAs;
    public List<Path> sandboxWritable;
    public String nodeName;
    public boolean migrate;
    public Duration idlePoll;
    public List<String> corsOrigins;

    private Change(ServerConfig from) {
      host = from.host();
      port = from.port();
      dataDir = from.dataDir();
      db = from.db();
      load = from.load();
      workers = from.workers();
      triggersPerMinute = from.triggersPerMinute();
      httpAllow = from.httpAllow();
      adminToken = from.adminToken();
      maxBodyBytes = from.maxBodyBytes();
      lease = from.lease();
      shutdownGrace = from.shutdownGrace();
      evidence = from.evidence();
      triggerRatesByRole = from.triggerRatesByRole();
      secretKey = from.secretKey();
      logStreamsPerPrincipal = from.logStreamsPerPrincipal();
      subjects = from.subjects();
      isolation = from.isolation();
      runAs = from.runAs();
      sandboxWritable = from.sandboxWritable();
      nodeName = from.nodeName();
      migrate = from.migrate();
      idlePoll = from.idlePoll();
      corsOrigins = from.corsOrigins();
    }
  }

  public ServerConfig withDb(String value) {
    return with(c -> c.db = value);
  }

  public ServerConfig withAdminToken(String value) {
    return with(c -> c.adminToken = value);
  }

  public ServerConfig withHttpAllow(String value) {
    return with(c -> c.httpAllow = value);
  }

  public ServerConfig withTriggersPerMinute(int value) {
    return with(c -> c.triggersPerMinute = value);
  }

  public ServerConfig withLease(Duration value) {
    return with(c -> c.lease = value);
  }

  public ServerConfig withLoad(Path value) {
    return with(c -> c.load = value);
  }

  public ServerConfig withWorkers(int value) {
    return with(c -> c.workers = value);
  }

  public ServerConfig withMaxBodyBytes(long value) {
    return with(c -> c.maxBodyBytes = value);
  }

  public ServerConfig withEvidence(EvidenceConfig value) {
    return with(c -> c.evidence = value);
  }

  public ServerConfig withTriggerRatesByRole(Map<Role, Integer> value) {
    return with(c -> c.triggerRatesByRole = value);
  }

  public ServerConfig withSecretKey(String value) {
    return with(c -> c.secretKey = value);
  }

  public ServerConfig withLogStreamsPerPrincipal(int value) {
    return with(c -> c.logStreamsPerPrincipal = value);
  }

  public ServerConfig withCorsOrigins(List<String> value) {
    return with(c -> c.corsOrigins = value);
  }

  public ServerConfig withSubjects(SubjectLimits value) {
    return with(c -> c.subjects = value);
  }

  /** Isolation {@code sandbox}, {@code user} (with {@code runAs}), {@code none}, or null: auto. */
  public ServerConfig withIsolation(String value, String runAsUser) {
    return with(
        c -> {
          c.isolation = value;
          c.runAs = runAsUser;
        });
  }
}
