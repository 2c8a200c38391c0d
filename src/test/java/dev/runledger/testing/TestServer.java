package dev.runledger.testing;

import dev.runledger.app.Runledger;
import dev.runledger.app.ServerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/** A real Runledger node on a free port, on a fresh SQLite directory or PostgreSQL database. */
public final class TestServer implements AutoCloseable {
  public static final String ADMIN_TOKEN = "test-admin-token";

  private final StoreKind kind;
  private final Path dataDir;
  private final String db;
  private final UnaryOperator<ServerConfig> customize;
  private final Clock clock;
  private Runledger node;

  private TestServer(StoreKind kind, UnaryOperator<ServerConfig> customize, Clock clock) {
    this.kind = kind;
    this.customize = customize;
    this.clock = clock;
    try {
      this.dataDir = Files.createTempDirectory("runledger-test");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.db = kind == StoreKind.POSTGRESQL ? Databases.freshPostgres() : null;
  }

  public static TestServer start(StoreKind kind) {
    return start(kind, c -> c, Clock.systemUTC());
  }

  public static TestServer start(StoreKind kind, UnaryOperator<ServerConfig> customize) {
    return start(kind, customize, Clock.systemUTC());
  }

  public static TestServer start(
      StoreKind kind, UnaryOperator<ServerConfig> customize, Clock clock) {
    TestServer s = new TestServer(kind, customize, clock);
    s.boot();
    return s;
  }

  private void boot() {
    ServerConfig config =
        customize.apply(
            ServerConfig.forTests(dataDir)
                .withDb(db)
                .withAdminToken(ADMIN_TOKEN)
                .withLease(Duration.ofSeconds(5)));
    node = Runledger.start(config, clock);
    node.tokens().bootstrapAdmin(ADMIN_TOKEN);
  }

  /** Stops the node gracefully and starts a new one on the same store. */
  public void restart() {
    node.close();
    boot();
  }

  /**
   * Stops the node gracefully, runs {@code whileDown} (move a clock, say) and starts a new one on
   * the same store.
   */
  public void restart(Runnable whileDown) {
    node.close();
    whileDown.run();
    boot();
  }

  public Runledger node() {
    return node;
  }

  public StoreKind kind() {
    return kind;
  }

  public Path dataDir() {
    return dataDir;
  }

  public String db() {
    return db;
  }

  public ApiClient admin() {
    return new ApiClient(node.url(), ADMIN_TOKEN);
  }

  public ApiClient client(String token) {
    return new ApiClient(node.url(), token);
  }

  @Override
  public void close() {
    if (node != null) {
      node.close();
    }
    if (db != null) {
      Databases.drop(db);
    }
    try (Stream<Path> paths = Files.walk(dataDir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temp directory left behind is harmless
    }
  }
}
