package dev.runledger.store;

import dev.runledger.model.Attempt;
import java.util.List;
import org.jdbi.v3.core.Handle;

/** Attempts of tasks. */
public final class AttemptRepository {
  private final Handle h;

  AttemptRepository(Handle h) {
    this.h = h;
  }

  public void insert(Attempt a) {
    h.createUpdate(
            "INSERT INTO attempts (run_id, task_name, number, status, started_at, ended_at, host,"
                + " exit_code, http_status, error) VALUES (:run, :task, :n, :status, :started,"
                + " :ended, :host, :exit, :http, :error)")
        .bind("run", a.runId())
        .bind("task", a.taskName())
        .bind("n", a.number())
        .bind("status", a.status())
        .bind("started", Micros.of(a.startedAt()))
        .bind("ended", Micros.of(a.endedAt()))
        .bind("host", a.host())
        .bind("exit", a.exitCode())
        .bind("http", a.httpStatus())
        .bind("error", a.error())
        .execute();
  }

  /** Records how an attempt ended. */
  public void finish(Attempt a) {
    h.createUpdate(
            "UPDATE attempts SET status = :status, ended_at = :ended, exit_code = :exit,"
                + " http_status = :http, error = :error"
                + " WHERE run_id = :run AND task_name = :task AND number = :n")
        .bind("run", a.runId())
        .bind("task", a.taskName())
        .bind("n", a.number())
        .bind("status", a.status())
        .bind("ended", Micros.of(a.endedAt()))
        .bind("exit", a.exitCode())
        .bind("http", a.httpStatus())
        .bind("error", a.error())
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
