package dev.runledger.store;

import dev.runledger.model.SkipReason;
import dev.runledger.model.TaskStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
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
  private final StepCountMoves moves;
  private final PendingWrites later;

  RunStepRepository(Handle h, StepCountMoves moves, PendingWrites later) {
    this.h = h;
    this.moves = moves;
    this.later = later;
  }

  /** The counters as they are, with this unit's pending moves written first. */
  private Handle flushed() {
    moves.flush(h, later);
    return h;
  }

  /**
   * Records a step that started planning (or was skipped as a whole) with its first page of tasks
   * already counted: one statement instead of an insert and an update.
   */
  public void insert(RunStep s) {
    StringBuilder columns =
        new StringBuilder(
            "run_id, step, position, state, upstream_skipped, declined, planned, total");
    StringBuilder values =
        new StringBuilder(":run, :step, :pos, :state, :up, :declined, :planned, :total");
    for (Map.Entry<TaskStatus, Integer> e : s.counts().entrySet()) {
      if (e.getValue() != 0) {
        String c = COLUMN.get(e.getKey());
        columns.append(", ").append(c);
        values.append(", :").append(c);
      }
    }
    Sql.Stmt stmt =
        Sql.of("INSERT INTO run_steps (" + columns + ") VALUES (" + values + ")")
            .on(flushed(), later, 0);
    bindCounts(stmt, s.counts());
    stmt.str("run", s.runId())
        .str("step", s.step())
        .integer("pos", s.position())
        .str("state", s.state())
        .integer("up", s.upstreamSkipped() ? 1 : 0)
        .str("declined", s.declined() == null ? null : s.declined().wire())
        .integer("planned", s.planned())
        .integer("total", s.total())
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
        sql.append(", ").append(c).append(" = ").append(c).append(" + :").append(c);
      }
    }
    sql.append(" WHERE run_id = :run AND step = :step");
    Sql.Stmt stmt = Sql.of(sql.toString()).on(flushed());
    bindCounts(stmt, created);
    stmt.str("run", runId)
        .str("step", step)
        .integer("planned", planned)
        .integer("total", total)
        .str("state", done ? "planned" : "planning")
        .execute();
  }

  /**
   * Moves one task of the step from one status to another in the counters; written with the unit's
   * other moves (see {@link StepCountMoves}).
   */
  public void move(String runId, String step, TaskStatus from, TaskStatus to) {
    if (from != to) {
      moves.move(runId, step, from, to);
    }
  }

  /** Adds {@code delta} to the step's counters (deferred with the batch's writes, if it defers). */
  static void add(
      Handle h, PendingWrites later, String runId, String step, Map<TaskStatus, Integer> delta) {
    StringBuilder sql = new StringBuilder();
    for (Map.Entry<TaskStatus, Integer> e : delta.entrySet()) {
      if (e.getValue() != 0) {
        String c = COLUMN.get(e.getKey());
        sql.append(sql.length() == 0 ? "UPDATE run_steps SET " : ", ");
        sql.append(c).append(" = ").append(c).append(" + :").append(c);
      }
    }
    if (sql.length() == 0) {
      return;
    }
    sql.append(" WHERE run_id = :run AND step = :step");
    Sql.Stmt stmt = Sql.of(sql.toString()).on(h, later, 1);
    bindCounts(stmt, delta);
    stmt.str("run", runId).str("step", step).execute();
  }

  /** Binds each non-zero count to the parameter named after its column. */
  private static void bindCounts(Sql.Stmt stmt, Map<TaskStatus, Integer> counts) {
    for (Map.Entry<TaskStatus, Integer> e : counts.entrySet()) {
      if (e.getValue() != 0) {
        stmt.integer(COLUMN.get(e.getKey()), e.getValue());
      }
    }
  }

  /**
   * Records that an approval decision ({@code approval-rejected} or {@code approval-expired})
   * skipped one of the step's tasks; the first such reason stays.
   */
  public void declined(String runId, String step, SkipReason reason) {
    Sql.of(
            "UPDATE run_steps SET declined = COALESCE(declined, :reason)"
                + " WHERE run_id = :run AND step = :step")
        .on(flushed())
        .str("reason", reason.wire())
        .str("run", runId)
        .str("step", step)
        .execute();
  }

  /** Forgets a step that was skipped as a whole, so that the planner plans it again. */
  public void delete(String runId, String step) {
    flushed()
        .createUpdate("DELETE FROM run_steps WHERE run_id = :run AND step = :step")
        .bind("run", runId)
        .bind("step", step)
        .execute();
  }

  /**
   * The run's steps in definition order (sorted here: an ORDER BY would build a temporary tree).
   */
  public List<RunStep> forRun(String runId) {
    List<RunStep> steps =
        new ArrayList<>(
            Sql.of("SELECT * FROM run_steps WHERE run_id = :run")
                .on(flushed())
                .str("run", runId)
                .list(RunStepRepository::map));
    steps.sort(Comparator.comparingInt(RunStep::position));
    return steps;
  }

  /** The steps of several runs in definition order, by run, read with one statement. */
  public Map<String, List<RunStep>> forRuns(java.util.Collection<String> runIds) {
    Map<String, List<RunStep>> byRun = new java.util.HashMap<>();
    if (runIds.isEmpty()) {
      return byRun;
    }
    List<String> ids = List.copyOf(runIds);
    for (int from = 0; from < ids.size(); from += IN_CHUNK) {
      List<String> chunk = ids.subList(from, Math.min(ids.size(), from + IN_CHUNK));
      Sql.in(h, "SELECT * FROM run_steps WHERE run_id IN (<ids>)", "ids", chunk.size())
          .on(flushed())
          .strs("ids", chunk)
          .list(RunStepRepository::map)
          .forEach(s -> byRun.computeIfAbsent(s.runId(), k -> new ArrayList<>()).add(s));
    }
    byRun.values().forEach(l -> l.sort(Comparator.comparingInt(RunStep::position)));
    return byRun;
  }

  // Runs read per statement (a claim touches up to a few hundred).
  private static final int IN_CHUNK = 256;

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
    String declined = rs.getString("declined");
    return new RunStep(
        rs.getString("run_id"),
        rs.getString("step"),
        rs.getInt("position"),
        rs.getString("state"),
        rs.getInt("planned"),
        Rows.integer(rs, "total"),
        rs.getInt("upstream_skipped") != 0,
        counts,
        declined == null ? null : SkipReason.fromWire(declined));
  }
}
