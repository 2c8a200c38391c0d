package dev.runledger.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * Fresh databases for tests. PostgreSQL must be reachable (127.0.0.1:5432, or RUNLEDGER_TEST_PG as
 * {@code postgresql://user@host:port}): a test that needs it fails, never skips, when it is not.
 */
public final class Databases {
  private Databases() {}

  /** The server URL without a database name, e.g. {@code postgresql://postgres@127.0.0.1:5432}. */
  public static String postgresServer() {
    String env = System.getenv("RUNLEDGER_TEST_PG");
    return env != null ? env : "postgresql://postgres@127.0.0.1:5432";
  }

  /** Creates an empty database and returns its {@code postgresql://} URL. */
  public static String freshPostgres() {
    String name = "rl_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    try (Connection c = adminConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "PostgreSQL is not reachable at " + postgresServer() + ": " + e.getMessage(), e);
    }
    return postgresServer() + "/" + name;
  }

  /** Drops a database made by {@link #freshPostgres}. */
  public static void drop(String url) {
    String name = url.substring(url.lastIndexOf('/') + 1);
    try (Connection c = adminConnection();
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Connection adminConnection() throws SQLException {
    String server = postgresServer().substring("postgresql://".length());
    String user = "postgres";
    if (server.contains("@")) {
      user = server.substring(0, server.indexOf('@'));
      server = server.substring(server.indexOf('@') + 1);
    }
    return DriverManager.getConnection("jdbc:postgresql://" + server + "/postgres", user, "");
  }
}
