package dev.runledger.store;

import dev.runledger.model.TaskStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/** Per-step progress of runs, with counters kept in the transaction of every task change. */
public final class RunStepRepository {
  private static final Map<TaskStatus, String> COLUMN = new EnumMap<>(TaskStatus.class);

  static {
    COLUMN.put(TaskStatus.PENDING, "n_pending");
    COLUMN.put(TaskStatus.AWAITING_APPROVAL, "n_awaiting");
    COLUMN.put(TaskStatus.QUEUED, "n_queued");
    COLUMN.put(TaskStatus.RUNNING, "n_running");
    COLUMN.put(TaskStatus.SUCCEEDED, "n_succeeded");
    COLUMN.put(TaskStatus.FAILED, "n_failed");
    COLUMN.put(TaskStatus.SKIPPED, "n_skipped");
    COLUMN.put(TaskStatus.IDEMPOTENT_REPLAY, "n_replayed");
  }

  private final Handle h;

  RunStepRepository(Handle h) {
    this.h = h;
  }

  /** Records that a step started planning (or was skipped as a whole). */
  public void insert(
      String runId, String step, int position, String state, boolean upstreamSkipped) {
    Sql.of(
            "INSERT INTO run_steps (run_id, step, position, state, upstream_skipped)"
                + " VALUES (:run, :step, :pos, :state, :up)")
        .on(h)
        .str("run", runId)
        .str("step", step)
        .integer("pos", position)
        .str("state", state)
        .integer("up", upstreamSkipped ? 1 : 0)
        .execute();
  }

  /** Adds newly created tasks to the counters and the planning progress. */
  public void planned(
      String runId,
      String step,
      Map<TaskStatus, Integer> created,
      int planned,
      Integer total,
      boolean done) {
    StringBuilder sql =
        new StringBuilder(
            "UPDATE run_steps SET planned = :planned, total = :total, state = :state");
    for (Map.Entry<TaskStatus, Integer> e : created.entrySet()) {
      if (e.getValue() != 0) {
        String c = COLUMN.get(e.getKey());
        sql.append(", ").append(c).append(" = ").append(c).append(" + ").append(e.getValue());
      }
    }
    sql.append(" WHERE run_id = :run AND step = :step");
    Sql.of(sql.toString())
        .on(h)
        .str("run", runId)
        .str("step", step)
        .integer("planned", planned)
        .integer("total", total)
        .str("state", done ? "planned" : "planning")
        .execute();
  }

  /** Moves one task of the step from one status to another in the counters. */
  public void move(String runId, String step, TaskStatus from, TaskStatus to) {
    if (from == to) {
      return;
    }
    String f = COLUMN.get(from);
    String t = COLUMN.get(to);
    Sql.of(
            "UPDATE run_steps SET "
                + f
                + " = "
                + f
                + " - 1, "
                + t
                + " = "
                + t
                + " + 1 WHERE run_id = :run AND step = :step")
        .on(h)
        .str("run", runId)
        .str("step", step)
        .execute();
  }

  /** Forgets a step that was skipped as a whole, so that the planner plans it again. */
  public void delete(String runId, String step) {
    h.createUpdate("DELETE FROM run_steps WHERE run_id = :run AND step = :step")
        .bind("run", runId)
        .bind("step", step)
        .execute();
  }

  public List<RunStep> forRun(String runId) {
    return Sql.of("SELECT * FROM run_steps WHERE run_id = :run ORDER BY position")
        .on(h)
        .str("run", runId)
        .list(RunStepRepository::map);
  }

  /** The run's task counts by status: the sum over its steps. */
  public Map<TaskStatus, Integer> counts(String runId) {
    Map<TaskStatus, Integer> total = RunStep.emptyCounts();
    for (RunStep s : forRun(runId)) {
      s.counts().forEach((k, v) -> total.merge(k, v, Integer::sum));
    }
    return total;
  }

  private static RunStep map(ResultSet rs) throws SQLException {
    Map<TaskStatus, Integer> counts = RunStep.emptyCounts();
    for (Map.Entry<TaskStatus, String> e : COLUMN.entrySet()) {
      counts.put(e.getKey(), rs.getInt(e.getValue()));
    }
    return new RunStep(
        rs.getString("run_id"),
        rs.getString("step"),
        rs.getInt("position"),
        rs.getString("state"),
        rs.getInt("planned"),
        Rows.integer(rs, "total"),
        rs.getInt("upstream_skipped") != 0,
        counts);
  }
}
