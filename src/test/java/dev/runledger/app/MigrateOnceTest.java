package dev.runledger.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runledger.store.Database;
import dev.runledger.testing.Databases;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * A deployment that migrates once: {@code runledger db migrate}, then {@code serve --no-migrate}.
 */
class MigrateOnceTest {

  @Test
  void a_node_that_does_not_migrate_refuses_a_store_that_needs_migrations() throws Exception {
    Path dir = Files.createTempDirectory("runledger-nomigrate");

    assertThatThrownBy(() -> Database.open(null, dir, false))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("needs")
        .hasMessageContaining("runledger db migrate");
  }

  @Test
  void db_migrate_applies_the_migrations_once_on_sqlite_and_then_a_node_starts_without()
      throws Exception {
    Path dir = Files.createTempDirectory("runledger-migrate");

    assertThat(run("db", "migrate", "--data-dir", dir.toString())).startsWith("applied ");
    assertThat(run("db", "migrate", "--data-dir", dir.toString()))
        .isEqualTo("the store is up to date\n");
    try (Database db = Database.open(null, dir, false)) {
      assertThat(db.pendingMigrations()).isZero();
    }
  }

  @Test
  void db_migrate_applies_the_migrations_on_postgresql() {
    String url = Databases.freshPostgres();

    assertThatThrownBy(() -> Database.open(url, null, false))
        .isInstanceOf(IllegalStateException.class);
    assertThat(run("db", "migrate", "--db", url)).startsWith("applied ");
    try (Database db = Database.open(url, null, false)) {
      assertThat(db.pendingMigrations()).isZero();
    }
  }

  private static String run(String... args) {
    CommandLine cli = Main.commandLine();
    StringWriter out = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    assertThat(code).as(err.toString()).isZero();
    return out.toString();
  }
}
