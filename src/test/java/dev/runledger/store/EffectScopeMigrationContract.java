package dev.runledger.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runledger.testing.Databases;
import dev.runledger.testing.StoreKind;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * V6 on a store that holds effects and replays recorded before it: each effect gets the action of
 * the task that made it, each replay the task whose effect it replays.
 */
abstract class EffectScopeMigrationContract {
  private Path dir;
  private String db;

  abstract StoreKind kind();

  @BeforeEach
  void open() throws Exception {
    dir = Files.createTempDirectory("runledger-v6");
    db = kind() == StoreKind.POSTGRESQL ? Databases.freshPostgres() : null;
  }

  @AfterEach
  void close() {
    if (db != null) {
      Databases.drop(db);
    }
  }

  private String jdbcUrl() {
    if (db == null) {
      return "jdbc:sqlite:" + dir.resolve("runledger.db");
    }
    URI uri = URI.create(db);
    return "jdbc:postgresql://" + uri.getHost() + ":" + uri.getPort() + uri.getPath();
  }

  private String user() {
    return db == null ? null : URI.create(db).getUserInfo();
  }

  private Connection connect() throws SQLException {
    return DriverManager.getConnection(jdbcUrl(), user(), "");
  }

  @Test
  void effects_get_their_action_and_earlier_replays_name_the_task_they_replay() throws Exception {
    Dialect dialect = db == null ? Dialect.SQLITE : Dialect.POSTGRESQL;
    Flyway.configure()
        .dataSource(jdbcUrl(), user(), "")
        .locations("classpath:db/migration")
        .placeholders(Map.of("pk", dialect.autoIncrementKey(), "blob", dialect.binaryType()))
        .target("5")
        .load()
        .migrate();
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      for (String run : new String[] {"run_a", "run_b"}) {
        s.execute(
            "INSERT INTO runs (id, project, workflow, revision, definition_hash, engine_version,"
                + " status, trigger_type, trigger_json, triggered_by, labels_json,"
                + " parameters_json, created_at) VALUES ('"
                + run
                + "', 'default', 'w', 1, 'sha256:0', '0', 'completed', 'manual', '{}', 'admin',"
                + " '{}', '{}', 1)");
      }
      task(s, "run_a", "file", "file-finding", "succeeded", "k1");
      task(s, "run_b", "file", "file-finding", "idempotent-replay", "k1");
      // A replay the outside system answered itself: its own task holds the effect.
      task(s, "run_b", "pay", "pay", "idempotent-replay", "k2");
      effect(s, "k1", "run_a", "file");
      effect(s, "k2", "run_b", "pay");
    }

    Database.open(db, dir).close();

    try (Connection c = connect();
        Statement s = c.createStatement()) {
      assertThat(one(s, "SELECT action FROM effects WHERE idempotency_key = 'k1'"))
          .isEqualTo("file-finding");
      assertThat(one(s, "SELECT action FROM effects WHERE idempotency_key = 'k2'"))
          .isEqualTo("pay");
      assertThat(
              one(
                  s,
                  "SELECT replay_of_run || '/' || replay_of_task FROM tasks"
                      + " WHERE run_id = 'run_b' AND name = 'file'"))
          .isEqualTo("run_a/file");
      assertThat(one(s, "SELECT replay_of_run FROM tasks WHERE run_id = 'run_b' AND name = 'pay'"))
          .isNull();
      assertThat(one(s, "SELECT replay_of_run FROM tasks WHERE run_id = 'run_a' AND name = 'file'"))
          .isNull();
    }
  }

  private static void task(
      Statement s, String run, String name, String action, String status, String key)
      throws SQLException {
    s.execute(
        "INSERT INTO tasks (run_id, name, seq, step, action, action_revision, action_hash,"
            + " parameters_json, status, idempotency_key) VALUES ('"
            + String.join("', '", run, name, "1", name, action, "1", "sha256:0", "{}", status, key)
            + "')");
  }

  private static void effect(Statement s, String key, String run, String task) throws SQLException {
    s.execute(
        "INSERT INTO effects (project, idempotency_key, run_id, task_name, recorded_at)"
            + " VALUES ('default', '"
            + key
            + "', '"
            + run
            + "', '"
            + task
            + "', 1)");
  }

  private static String one(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      assertThat(rs.next()).as(sql).isTrue();
      return rs.getString(1);
    }
  }
}
