package dev.runledger.store;

import dev.runledger.model.Attempt;
import java.util.List;
import org.jdbi.v3.core.Handle;

/** Attempts of tasks. */
public final class AttemptRepository {
  private final Handle h;
  private final PendingWrites later;

  AttemptRepository(Handle h, PendingWrites later) {
    this.h = h;
    this.later = later;
  }

  public void insert(Attempt a) {
    Sql.of(
            "INSERT INTO attempts (run_id, task_name, number, status, started_at, ended_at, host,"
                + " exit_code, http_status, error) VALUES (:run, :task, :n, :status, :started,"
                + " :ended, :host, :exit, :http, :error)")
        .on(h, later, 0)
        .str("run", a.runId())
        .str("task", a.taskName())
        .integer("n", a.number())
        .str("status", a.status())
        .lng("started", Micros.of(a.startedAt()))
        .lng("ended", Micros.of(a.endedAt()))
        .str("host", a.host())
        .integer("exit", a.exitCode())
        .integer("http", a.httpStatus())
        .str("error", a.error())
        .execute();
  }

  /** Records how an attempt ended. */
  public void finish(Attempt a) {
    Sql.of(
            "UPDATE attempts SET status = :status, ended_at = :ended, exit_code = :exit,"
                + " http_status = :http, error = :error"
                + " WHERE run_id = :run AND task_name = :task AND number = :n")
        .on(h, later, 1)
        .str("run", a.runId())
        .str("task", a.taskName())
        .integer("n", a.number())
        .str("status", a.status())
        .lng("ended", Micros.of(a.endedAt()))
        .integer("exit", a.exitCode())
        .integer("http", a.httpStatus())
        .str("error", a.error())
        .execute();
  }

  public List<Attempt> list(String runId, String taskName) {
    return h.createQuery(
            "SELECT * FROM attempts WHERE run_id = :run AND task_name = :task ORDER BY number")
        .bind("run", runId)
        .bind("task", taskName)
        .map(
            (rs, ctx) ->
                new Attempt(
                    rs.getString("run_id"),
                    rs.getString("task_name"),
                    rs.getInt("number"),
                    rs.getString("status"),
                    Rows.instant(rs, "started_at"),
                    Rows.instant(rs, "ended_at"),
                    rs.getString("host"),
                    Rows.integer(rs, "exit_code"),
                    Rows.integer(rs, "http_status"),
                    rs.getString("error")))
        .list();
  }
}
