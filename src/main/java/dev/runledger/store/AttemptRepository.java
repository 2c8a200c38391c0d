package dev.runledger.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runledger.model.Attempt;
import dev.runledger.model.Json;
import java.util.List;
import java.util.Optional;
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
    insert(a, null);
  }

  /** Inserts an attempt with its evidence (one that ended as it was first written). */
  public void insert(Attempt a, JsonNode evidence) {
    Sql.of(
            "INSERT INTO attempts (run_id, task_name, number, status, started_at, ended_at, host,"
                + " exit_code, http_status, error, evidence_json) VALUES (:run, :task, :n, :status,"
                + " :started, :ended, :host, :exit, :http, :error, :evidence)")
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
        .str("evidence", evidence == null ? null : Json.write(evidence))
        .execute();
  }

  /** Records how an attempt ended. */
  public void finish(Attempt a) {
    finish(a, null);
  }

  /**
   * Records how an attempt ended, with its evidence (kept as it is when {@code evidence} is null).
   */
  public void finish(Attempt a, JsonNode evidence) {
    Sql.of(
            "UPDATE attempts SET status = :status, ended_at = :ended, exit_code = :exit,"
                + " http_status = :http, error = :error,"
                + " evidence_json = COALESCE(:evidence, evidence_json)"
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
        .str("evidence", evidence == null ? null : Json.write(evidence))
        .execute();
  }

  /** The evidence recorded with an attempt's end, if any. */
  public Optional<JsonNode> evidence(String runId, String taskName, int attempt) {
    return Sql.of(
            "SELECT evidence_json FROM attempts WHERE run_id = :run AND task_name = :task"
                + " AND number = :n")
        .on(h)
        .str("run", runId)
        .str("task", taskName)
        .integer("n", attempt)
        .one(rs -> Rows.json(rs, "evidence_json"));
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
