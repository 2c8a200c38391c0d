package dev.runledger.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A consistent copy of an embedded store taken while a server may be writing it: {@code VACUUM
 * INTO} reads one snapshot of the database (WAL mode lets the server go on writing meanwhile) and
 * writes it, compacted, to a new file.
 */
public final class SqliteSnapshot {
  /** The database file of an embedded store in {@code dataDir}. */
  public static final String FILE = "runledger.db";

  private SqliteSnapshot() {}

  /**
   * Writes the store of {@code dataDir} to {@code target}, which must not exist.
   *
   * @throws IllegalArgumentException when {@code dataDir} holds no store
   */
  public static void copy(Path dataDir, Path target) {
    Path db = dataDir.resolve(FILE).toAbsolutePath();
    if (!Files.isRegularFile(db)) {
      throw new IllegalArgumentException("no embedded store in " + dataDir + " (no " + FILE + ")");
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db + "?busy_timeout=30000");
        Statement st = c.createStatement()) {
      st.execute("VACUUM INTO '" + target.toAbsolutePath().toString().replace("'", "''") + "'");
    } catch (SQLException e) {
      throw new IllegalStateException("could not copy the store " + db + ": " + e.getMessage(), e);
    }
  }
}
