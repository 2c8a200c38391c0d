package dev.runledger.app;

import dev.runledger.model.Role;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * How a node is configured (flags and environment, read by {@link ServeCommand}).
 *
 * @param db null for the embedded store in {@code dataDir}
 * @param load a directory of definitions applied at start, or null
 * @param adminToken the first admin token's value (RUNLEDGER_ADMIN_TOKEN), or null to generate
 * @param httpAllow hosts and CIDR ranges http actions may reach although internal
 * @param triggerRatesByRole triggers a minute for principals of a role, in place of {@code
 *     triggersPerMinute} (0 = no limit)
 * @param secretKey the base64 AES key for secrets at rest (RUNLEDGER_SECRET_KEY), or null to use
 *     (or make) {@code <dataDir>/secret.key}
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
    Map<Role, Integer> triggerRatesByRole,
    String secretKey) {

  public ServerConfig {
    triggerRatesByRole = triggerRatesByRole == null ? Map.of() : Map.copyOf(triggerRatesByRole);
  }

  /** Without per-role trigger rates, and with the secret key from the data directory. */
  public ServerConfig(
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
      Duration shutdownGrace) {
    this(
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
        Map.of(),
        null);
  }

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
        Duration.ofSeconds(5));
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
        triggerRatesByRole,
        secretKey);
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
        triggerRatesByRole,
        secretKey);
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
        triggerRatesByRole,
        secretKey);
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
        triggerRatesByRole,
        secretKey);
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
        triggerRatesByRole,
        secretKey);
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
        triggerRatesByRole,
        secretKey);
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
        triggerRatesByRole,
        secretKey);
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
        triggerRatesByRole,
        secretKey);
  }

  public ServerConfig withTriggerRatesByRole(Map<Role, Integer> value) {
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
        value,
        secretKey);
  }

  public ServerConfig withSecretKey(String value) {
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
        triggerRatesByRole,
        value);
  }
}
