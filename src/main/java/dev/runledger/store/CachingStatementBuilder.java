package dev.runledger.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jdbi.v3.core.statement.DefaultStatementBuilder;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Keeps the writer connection's prepared statements for reuse, so the hot path does not compile the
 * same SQL for every unit of work (SQLite prepares on every {@code prepareStatement}). A statement
 * is checked out while in use (the same SQL used twice at once gets a second statement) and
 * returned, with its parameters and batch cleared, when JDBI closes it; at most {@link #MAX_SQL}
 * distinct statements are kept, least recently used first out. Only for a long-lived handle (the
 * writer's); everything is closed with the handle.
 */
final class CachingStatementBuilder extends DefaultStatementBuilder {
  private static final int MAX_SQL = 256;

  private final Map<String, ArrayDeque<PreparedStatement>> idle =
      new LinkedHashMap<>(64, 0.75f, true);
  // Statements this cache made, with the SQL they were prepared from (JDBI passes the statement's
  // original text, not the prepared one, when it closes it).
  private final Map<Statement, String> owned = new IdentityHashMap<>();
  private int idleCount;
  // Runs before any statement is prepared or borrowed: the batch's pending writes (see
  // PendingWrites), so that every statement sees them.
  private Runnable beforeStatement;

  /** Sets (or with null, clears) what runs before each statement. */
  void beforeStatement(Runnable action) {
    this.beforeStatement = action;
  }

  @Override
  public PreparedStatement create(Connection conn, String sql, StatementContext ctx)
      throws SQLException {
    if (ctx.isReturningGeneratedKeys() || ctx.isConcurrentUpdatable()) {
      if (beforeStatement != null) {
        beforeStatement.run();
      }
      return super.create(conn, sql, ctx);
    }
    // Anything else JDBI prepares as a plain prepareStatement(sql): the same as a borrowed one.
    return borrow(conn, sql);
  }

  /** A statement for plain JDBC use ({@link Sql}); give it back with {@link #giveBack}. */
  PreparedStatement borrow(Connection conn, String sql) throws SQLException {
    if (beforeStatement != null) {
      beforeStatement.run();
    }
    ArrayDeque<PreparedStatement> free = idle.get(sql);
    if (free != null && !free.isEmpty()) {
      idleCount--;
      PreparedStatement stmt = free.pop();
      if (!stmt.isClosed()) {
        return stmt;
      }
      owned.remove(stmt);
    }
    PreparedStatement stmt = conn.prepareStatement(sql);
    owned.put(stmt, sql);
    return stmt;
  }

  /** Returns a statement from {@link #borrow}. */
  void giveBack(Connection conn, String sql, PreparedStatement stmt) throws SQLException {
    close(conn, sql, stmt);
  }

  @Override
  public void close(Connection conn, String text, Statement stmt) throws SQLException {
    String sql = stmt == null ? null : owned.get(stmt);
    if (sql == null || stmt.isClosed()) {
      if (stmt != null) {
        owned.remove(stmt);
      }
      super.close(conn, text, stmt);
      return;
    }
    PreparedStatement prepared = (PreparedStatement) stmt;
    try {
      prepared.clearParameters();
      prepared.clearBatch();
    } catch (SQLException e) {
      owned.remove(stmt);
      super.close(conn, sql, stmt);
      return;
    }
    ArrayDeque<PreparedStatement> free = idle.computeIfAbsent(sql, k -> new ArrayDeque<>(2));
    if (free.size() >= 2) {
      owned.remove(stmt);
      super.close(conn, sql, stmt);
      return;
    }
    free.push(prepared);
    idleCount++;
    evict(conn);
  }

  private void evict(Connection conn) throws SQLException {
    Iterator<Map.Entry<String, ArrayDeque<PreparedStatement>>> it = idle.entrySet().iterator();
    while (idleCount > MAX_SQL && it.hasNext()) {
      Map.Entry<String, ArrayDeque<PreparedStatement>> eldest = it.next();
      for (PreparedStatement stmt : eldest.getValue()) {
        owned.remove(stmt);
        idleCount--;
        super.close(conn, eldest.getKey(), stmt);
      }
      it.remove();
    }
  }

  @Override
  public void close(Connection conn) {
    for (Map.Entry<String, ArrayDeque<PreparedStatement>> e : idle.entrySet()) {
      for (PreparedStatement stmt : e.getValue()) {
        try {
          stmt.close();
        } catch (SQLException ignored) {
          // the connection is going away
        }
      }
    }
    idle.clear();
    owned.clear();
    idleCount = 0;
  }
}
