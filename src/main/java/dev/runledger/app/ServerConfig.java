package dev.runledger.app;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How a node is configured (flags and environment, read by {@link ServeCommand}).
 *
 * @param db null for the embedded store in {@code dataDir}
 * @param load a directory of definitions applied at start, or null
 * @param adminToken the first admin token's value (RUNLEDGER_ADMIN_TOKEN), or null to generate
 * @param httpAllow hosts and CIDR ranges http actions may reach although internal
 * @param evidence retention periods and artifact size limits
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
    EvidenceConfig evidence) {

  public static final int DEFAULT_WORKERS =
      Math.max(8, Runtime.getRuntime().availableProcessors() * 4);

  /** Defaults for tests: a free port, embedded store in {@code dataDir}. */
  public static ServerConfig forTests(Path dataDir) {
    return new ServerConfig(
        "127.0.0.1",
        0,
        dataDir,
        null,
        null,
        DEFAULT_WORKERS,
        0,
        "",
        null,
        1 << 20,
        Duration.ofSeconds(30),
        Duration.ofSeconds(5),
        EvidenceConfig.DEFAULTS);
  }

  public ServerConfig withDb(String value) {
    return new ServerConfig(
        host,
        port,
        dataDir,
        value,
        load,
        workers,
        triggersPerMinute,
        httpAllow,
        adminToken,
        maxBodyBytes,
        lease,
        shutdownGrace,
        evidence);
  }

  public ServerConfig withAdminToken(String value) {
    return new ServerConfig(
        host,
        port,
        dataDir,
        db,
        load,
        workers,
        triggersPerMinute,
        httpAllow,
        value,
        maxBodyBytes,
        lease,
        shutdownGrace,
        evidence);
  }

  public ServerConfig withHttpAllow(String value) {
    return new ServerConfig(
        host,
        port,
        dataDir,
        db,
        load,
        workers,
        triggersPerMinute,
        value,
        adminToken,
        maxBodyBytes,
        lease,
        shutdownGrace,
        evidence);
  }

  public ServerConfig withTriggersPerMinute(int value) {
    return new ServerConfig(
        host,
        port,
        dataDir,
        db,
        load,
        workers,
        value,
        httpAllow,
        adminToken,
        maxBodyBytes,
        lease,
        shutdownGrace,
        evidence);
  }

  public ServerConfig withLease(Duration value) {
    return new ServerConfig(
        host,
        port,
        dataDir,
        db,
        load,
        workers,
        triggersPerMinute,
        httpAllow,
        adminToken,
        maxBodyBytes,
        value,
        shutdownGrace,
        evidence);
  }

  public ServerConfig withLoad(Path value) {
    return new ServerConfig(
        host,
        port,
        dataDir,
        db,
        value,
        workers,
        triggersPerMinute,
        httpAllow,
        adminToken,
        maxBodyBytes,
        lease,
        shutdownGrace,
        evidence);
  }

  public ServerConfig withWorkers(int value) {
    return new ServerConfig(
        host,
        port,
        dataDir,
        db,
        load,
        value,
        triggersPerMinute,
        httpAllow,
        adminToken,
        maxBodyBytes,
        lease,
        shutdownGrace,
        evidence);
  }

  public ServerConfig withMaxBodyBytes(long value) {
    return new ServerConfig(
        host,
        port,
        dataDir,
        db,
        load,
        workers,
        triggersPerMinute,
        httpAllow,
        adminToken,
        value,
        lease,
        shutdownGrace,
        evidence);
  }

  public ServerConfig withEvidence(EvidenceConfig value) {
    return new ServerConfig(
        host,
        port,
        dataDir,
        db,
        load,
        workers,
        triggersPerMinute,
        httpAllow,
        adminToken,
        maxBodyBytes,
        lease,
        shutdownGrace,
        value);
  }
}
