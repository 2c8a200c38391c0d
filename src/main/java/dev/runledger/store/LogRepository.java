package dev.runledger.store;

import java.util.List;
import org.jdbi.v3.core.Handle;

/** Attempt output, line by line with timestamps. */
public final class LogRepository {
  private final Handle h;
  private final PendingWrites later;

  LogRepository(Handle h, PendingWrites later) {
    this.h = h;
    this.later = later;
  }

  /** Appends lines in order (with the batch's other new rows, when it defers them). */
  public void append(List<LogLine> lines) {
    if (lines.isEmpty()) {
      return;
    }
    Sql.Stmt batch =
        Sql.of(
                "INSERT INTO task_logs (run_id, task_name, attempt, at, stream, line, n)"
                    + " VALUES (:run, :task, :attempt, :at, :stream, :line, :n)")
            .on(h, later, 0);
    for (LogLine l : lines) {
      batch
          .str("run", l.runId())
          .str("task", l.taskName())
          .integer("attempt", l.attempt())
          .lng("at", Micros.of(l.at()))
          .str("stream", l.stream())
          .str("line", l.line())
          .lng("n", l.number())
          .add();
    }
    batch.executeBatch();
  }

  /** Lines of one attempt after position {@code after}, in order. */
  public List<LogLine> read(String runId, String taskName, int attempt, long after, int limit) {
    return h.createQuery(
            "SELECT * FROM task_logs WHERE run_id = :run AND task_name = :task"
                + " AND attempt = :attempt AND pk > :after ORDER BY pk LIMIT :limit")
        .bind("run", runId)
        .bind("task", taskName)
        .bind("attempt", attempt)
        .bind("after", after)
        .bind("limit", limit)
        .map((rs, ctx) -> line(rs))
        .list();
  }

  /** The last {@code limit} lines of one attempt, in order. */
  public List<LogLine> tail(String runId, String taskName, int attempt, int limit) {
    List<LogLine> lines =
        new java.util.ArrayList<>(
            h.createQuery(
                    "SELECT * FROM task_logs WHERE run_id = :run AND task_name = :task"
                        + " AND attempt = :attempt ORDER BY pk DESC LIMIT :limit")
                .bind("run", runId)
                .bind("task", taskName)
                .bind("attempt", attempt)
                .bind("limit", limit)
                .map((rs, ctx) -> line(rs))
                .list());
    java.util.Collections.reverse(lines);
    return lines;
  }

  /** The {@code limit} lines of one attempt just before position {@code before}, in order. */
  public List<LogLine> before(String runId, String taskName, int attempt, long before, int limit) {
    List<LogLine> lines =
        new java.util.ArrayList<>(
            h.createQuery(
                    "SELECT * FROM task_logs WHERE run_id = :run AND task_name = :task"
                        + " AND attempt = :attempt AND pk < :before ORDER BY pk DESC LIMIT :limit")
                .bind("run", runId)
                .bind("task", taskName)
                .bind("attempt", attempt)
                .bind("before", before)
                .bind("limit", limit)
                .map((rs, ctx) -> line(rs))
                .list());
    java.util.Collections.reverse(lines);
    return lines;
  }

  private static LogLine line(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new LogLine(
        rs.getLong("pk"),
        rs.getString("run_id"),
        rs.getString("task_name"),
        rs.getInt("attempt"),
        Rows.instant(rs, "at"),
        rs.getString("stream"),
        rs.getString("line"),
        rs.getLong("n"));
  }

  /** Bytes of output per stream of one attempt: {stdout, stderr}. */
  public long[] bytes(String runId, String taskName, int attempt) {
    long[] out = new long[2];
    h.createQuery(
            "SELECT stream, SUM(LENGTH(line) + 1) AS n FROM task_logs WHERE run_id = :run"
                + " AND task_name = :task AND attempt = :attempt GROUP BY stream")
        .bind("run", runId)
        .bind("task", taskName)
        .bind("attempt", attempt)
        .map((rs, ctx) -> new Object[] {rs.getString("stream"), rs.getLong("n")})
        .forEach(
            row -> {
              if ("stdout".equals(row[0])) out[0] = (Long) row[1];
              if ("stderr".equals(row[0])) out[1] = (Long) row[1];
            });
    return out;
  }
}
