package dev.runledger.store;

import java.sql.SQLException;
import org.jdbi.v3.core.statement.StatementException;

/** Translates SQL failures into domain exceptions at the store boundary. */
final class StoreExceptions {
  private StoreExceptions() {}

  static Throwable translate(Throwable e) {
    if ((e instanceof StatementException || e instanceof Sql.Failure)
        && isUniqueViolation(e.getCause())) {
      return new ConflictException("a record with the same key exists already", e);
    }
    return e;
  }

  /**
   * Whether {@code e} is PostgreSQL failing a transaction to break a deadlock ({@code 40P01}) or
   * refusing it as a serialization failure ({@code 40001}): nothing of it was kept, and run again
   * it may succeed.
   */
  static boolean isLockConflict(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql
          && ("40P01".equals(sql.getSQLState()) || "40001".equals(sql.getSQLState()))) {
        return true;
      }
    }
    return false;
  }

  private static boolean isUniqueViolation(Throwable cause) {
    if (cause instanceof SQLException sql) {
      String state = sql.getSQLState();
      String message = String.valueOf(sql.getMessage());
      return "23505".equals(state)
          || message.contains("UNIQUE constraint failed")
          || message.contains("PRIMARY KEY constraint failed")
          || message.contains("SQLITE_CONSTRAINT_PRIMARYKEY")
          || message.contains("SQLITE_CONSTRAINT_UNIQUE");
    }
    return false;
  }
}
