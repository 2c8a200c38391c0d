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
