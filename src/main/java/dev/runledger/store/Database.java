package dev.runledger.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlStatements;

/**
 * Opens the store: SQLite in the data directory by default, or PostgreSQL; migrates it; and keeps
 * one writer connection apart from the readers.
 */
public final class Database implements AutoCloseable {
  private final Dialect dialect;
  private final HikariDataSource writerSource;
  private final HikariDataSource readerSource;
  private final Jdbi writer;
  private final Jdbi reader;
  private final String description;
  private String jdbcUrl;
  private String user;
  private String password;

  private Database(
      Dialect dialect, HikariDataSource writerSource, HikariDataSource readerSource, String desc) {
    this.dialect = dialect;
    this.writerSource = writerSource;
    this.readerSource = readerSource;
    this.writer = Jdbi.create(writerSource);
    // The writer's one long-lived connection reuses its prepared statements.
    this.writer.setStatementBuilderFactory(conn -> new CachingStatementBuilder());
    this.reader = Jdbi.create(readerSource);
    // Statements built by hand (Sql) find the dialect on their handle.
    this.writer.getConfig(SqlStatements.class).define(Sql.DIALECT, dialect);
    this.reader.getConfig(SqlStatements.class).define(Sql.DIALECT, dialect);
    this.description = desc;
  }

  /**
   * Opens and migrates the store.
   *
   * @param dbUrl null for SQLite in {@code dataDir}; else {@code postgresql://user:pass@host/db} or
   *     a {@code jdbc:postgresql:} URL
   */
  public static Database open(String dbUrl, Path dataDir) {
    return open(dbUrl, dataDir, true);
  }

  /**
   * Opens the store, migrating it only when {@code migrate}; without, a store that still needs
   * migrations is refused (a deployment that migrates once, with {@code runledger db migrate}).
   *
   * @throws IllegalStateException when migrations are pending and {@code migrate} is false
   */
  public static Database open(String dbUrl, Path dataDir, boolean migrate) {
    Database db = dbUrl == null || dbUrl.isBlank() ? sqlite(dataDir) : postgresql(dbUrl);
    try {
      if (migrate) {
        db.migrate();
      } else {
        int pending = db.pendingMigrations();
        if (pending > 0) {
          throw new IllegalStateException(
              "the store "
                  + db.description
                  + " needs "
                  + pending
                  + " migrations: run `runledger db migrate` first (serve --no-migrate does not"
                  + " migrate)");
        }
      }
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
    return db;
  }

  /**
   * Applies the pending migrations of a store and closes it; returns how many were applied (for
   * {@code runledger db migrate}).
   */
  public static int migrateOnly(String dbUrl, Path dataDir) {
    try (Database db = dbUrl == null || dbUrl.isBlank() ? sqlite(dataDir) : postgresql(dbUrl)) {
      return db.migrate();
    }
  }

  /** How many migrations this version knows that the store has not applied. */
  public int pendingMigrations() {
    // Read on a reader: the writer's one connection belongs to the write queue once it runs.
    return flyway(readerSource).info().pending().length;
  }

  private static Database sqlite(Path dataDir) {
    try {
      Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create data directory " + dataDir, e);
    }
    Path file = dataDir.resolve("runledger.db").toAbsolutePath();
    // synchronous=FULL: an acknowledged change survives power loss; throughput comes from group
    // commit in WriteQueue, not from a weaker setting.
    String url =
        "jdbc:sqlite:"
            + file
            + "?journal_mode=WAL&synchronous=FULL&busy_timeout=30000&foreign_keys=false"
            + "&cache_size=-65536&temp_store=MEMORY&jdbc.get_generated_keys=false";
    HikariDataSource writer = pool(url, null, null, 1, "runledger-writer");
    HikariDataSource reader = pool(url, null, null, 4, "runledger-reader");
    return new Database(Dialect.SQLITE, writer, reader, "sqlite:" + file);
  }

  private static Database postgresql(String dbUrl) {
    String jdbcUrl;
    String user = null;
    String password = null;
    if (dbUrl.startsWith("jdbc:postgresql:")) {
      jdbcUrl = dbUrl;
    } else if (dbUrl.startsWith("postgresql://") || dbUrl.startsWith("postgres://")) {
      URI uri = URI.create(dbUrl);
      String userInfo = uri.getRawUserInfo();
      if (userInfo != null) {
        String[] parts = userInfo.split(":", 2);
        user = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
        password = parts.length > 1 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : null;
      }
      int port = uri.getPort() == -1 ? 5432 : uri.getPort();
      jdbcUrl =
          "jdbc:postgresql://"
              + uri.getHost()
              + ":"
              + port
              + uri.getRawPath()
              + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    } else {
      throw new IllegalArgumentException(
          "--db must be postgresql://user:pass@host:5432/dbname or a jdbc:postgresql: URL");
    }
    String sep = jdbcUrl.contains("?") ? "&" : "?";
    jdbcUrl = jdbcUrl + sep + "reWriteBatchedInserts=true";
    HikariDataSource writer = pool(jdbcUrl, user, password, 2, "runledger-writer");
    HikariDataSource reader = pool(jdbcUrl, user, password, 6, "runledger-reader");
    Database db = new Database(Dialect.POSTGRESQL, writer, reader, redact(jdbcUrl));
    db.jdbcUrl = jdbcUrl;
    db.user = user;
    db.password = password;
    return db;
  }

  private static String redact(String url) {
    return url.replaceAll("password=[^&]*", "password=***");
  }

  private static HikariDataSource pool(
      String url, String user, String password, int size, String name) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    if (user != null) {
      config.setUsername(user);
    }
    if (password != null) {
      config.setPassword(password);
    }
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(1);
    config.setPoolName(name);
    config.setConnectionTimeout(10_000);
    return new HikariDataSource(config);
  }

  private int migrate() {
    return flyway(writerSource).migrate().migrationsExecuted;
  }

  private Flyway flyway(javax.sql.DataSource source) {
    return Flyway.configure()
        .dataSource(source)
        .locations("classpath:db/migration")
        .placeholders(Map.of("pk", dialect.autoIncrementKey(), "blob", dialect.binaryType()))
        .load();
  }

  /**
   * A connection of its own, outside the pools, for a session that stays open (LISTEN on
   * PostgreSQL); null on SQLite.
   */
  java.sql.Connection openDedicated() throws java.sql.SQLException {
    if (jdbcUrl == null) {
      return null;
    }
    java.util.Properties props = new java.util.Properties();
    if (user != null) {
      props.setProperty("user", user);
    }
    if (password != null) {
      props.setProperty("password", password);
    }
    return java.sql.DriverManager.getConnection(jdbcUrl, props);
  }

  public Dialect dialect() {
    return dialect;
  }

  Jdbi writer() {
    return writer;
  }

  Jdbi reader() {
    return reader;
  }

  /** Where the store is, without credentials. */
  public String description() {
    return description;
  }

  /** True when the store answers a trivial query. */
  public boolean isHealthy() {
    try {
      return reader.withHandle(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one()) == 1;
    } catch (RuntimeException e) {
      return false;
    }
  }

  @Override
  public void close() {
    readerSource.close();
    writerSource.close();
  }
}
