package dev.runledger.store;

import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Query;

/**
 * Aggregates over a period for reports, counted in the database: runs created in {@code [from, to)}
 * by workflow (or action, for one-off runs), narrowed by the {@link ReportFilter}.
 */
public final class ReportRepository {
  private final Handle h;

  ReportRepository(Handle h) {
    this.h = h;
  }

  /** A count for one group and one key (a status, say). */
  public record Count(String workflow, String action, String key, long n) {}

  /** Per group: sums over its runs. */
  public record RunSums(
      String workflow, String action, long actionsInvoked, long subjectsMatched, long cancelled) {}

  /**
   * A count for one step of one group: {@code key} a task status, {@code n} its tasks, {@code
   * subjectTasks} those of them planned for a subject (a fan-out step's tasks).
   */
  public record StepCount(
      String workflow, String action, String step, String key, long n, long subjectTasks) {}

  /** An approval decided by a person: who decided, how, when and why. */
  public record Decision(
      String id,
      String workflow,
      String action,
      String runId,
      String taskName,
      String decision,
      String decidedBy,
      Instant decidedAt,
      String comment) {}

  public List<Count> runsByStatus(ReportFilter f) {
    return countPerGroup("r.status", "runs r", "", f);
  }

  public List<Count> tasksByStatus(ReportFilter f) {
    return countPerGroup("t.status", "tasks t JOIN runs r ON r.id = t.run_id", "", f);
  }

  /** Attempts after the first of a task: automatic, manual and lost-worker retries. */
  public List<Count> retries(ReportFilter f) {
    return countPerGroup(
        "'retries'", "attempts a JOIN runs r ON r.id = a.run_id", "a.number > 1 AND", f);
  }

  /** Approvals decided by a person, by decision ({@code approved}, {@code rejected}). */
  public List<Count> approvalsDecided(ReportFilter f) {
    return countPerGroup(
        "ap.state",
        "approvals ap JOIN runs r ON r.id = ap.run_id",
        "ap.state IN ('approved', 'rejected') AND",
        f);
  }

  /**
   * Counts the rows of {@code from} (joined to the runs, alias {@code r}, the report counts) per
   * group and {@code key}: a column, grouped by too, or a quoted constant naming the one count.
   */
  private List<Count> countPerGroup(String key, String from, String where, ReportFilter f) {
    String byKey = key.startsWith("'") ? "" : ", " + key;
    return query(
            "SELECT r.workflow, r.action, "
                + key
                + " AS k, COUNT(*) AS n FROM "
                + from
                + " WHERE "
                + where
                + runs(f)
                + " GROUP BY r.workflow, r.action"
                + byKey,
            f)
        .map(COUNT)
        .list();
  }

  /** Tasks by step and status, with how many of them were planned for a subject. */
  public List<StepCount> tasksByStep(ReportFilter f) {
    return query(
            "SELECT r.workflow, r.action, t.step, t.status AS k, COUNT(*) AS n,"
                + " SUM(CASE WHEN t.subject_key IS NOT NULL THEN 1 ELSE 0 END) AS subjects"
                + " FROM tasks t JOIN runs r ON r.id = t.run_id WHERE"
                + runs(f)
                + " GROUP BY r.workflow, r.action, t.step, t.status",
            f)
        .map(STEP_COUNT)
        .list();
  }

  /**
   * Per step: its retries ({@code key} {@code retries}: attempts after a task's first) and the
   * tasks that recovered ({@code key} {@code recovered}: succeeded after more than one attempt).
   */
  public List<StepCount> retriesByStep(ReportFilter f) {
    String sql =
        "SELECT r.workflow, r.action, t.step, 'retries' AS k, COUNT(*) AS n, 0 AS subjects"
            + " FROM attempts a"
            + " JOIN tasks t ON t.run_id = a.run_id AND t.name = a.task_name"
            + " JOIN runs r ON r.id = t.run_id WHERE a.number > 1 AND"
            + runs(f)
            + " GROUP BY r.workflow, r.action, t.step"
            + " UNION ALL"
            + " SELECT r.workflow, r.action, t.step, 'recovered' AS k, COUNT(*) AS n, 0 AS subjects"
            + " FROM tasks t"
            + " JOIN runs r ON r.id = t.run_id WHERE t.status = 'succeeded' AND t.attempts > 1 AND"
            + runs(f)
            + " GROUP BY r.workflow, r.action, t.step";
    return query(sql, f).map(STEP_COUNT).list();
  }

  /** The approvals decided by a person, in the order they were decided. */
  public List<Decision> decisions(ReportFilter f) {
    return query(
            "SELECT ap.id, r.workflow, r.action, ap.run_id, ap.task_name, ap.state,"
                + " ap.decided_by, ap.decided_at, ap.comment FROM approvals ap"
                + " JOIN runs r ON r.id = ap.run_id WHERE ap.state IN ('approved', 'rejected') AND"
                + runs(f)
                + " ORDER BY ap.decided_at, ap.id",
            f)
        .map(
            (rs, ctx) ->
                new Decision(
                    rs.getString("id"),
                    rs.getString("workflow"),
                    rs.getString("action"),
                    rs.getString("run_id"),
                    rs.getString("task_name"),
                    rs.getString("state"),
                    rs.getString("decided_by"),
                    Rows.instant(rs, "decided_at"),
                    rs.getString("comment")))
        .list();
  }

  /** The failed tasks of the runs counted, in the order their runs were created; {@code limit}. */
  public List<TaskInRun> failures(ReportFilter f, int limit) {
    return query(
            "SELECT t.*, r.workflow AS run_workflow, r.action AS run_action,"
                + " r.triggered_by AS run_triggered_by FROM tasks t JOIN runs r ON r.id = t.run_id"
                + " WHERE t.status = 'failed' AND"
                + runs(f)
                + " ORDER BY r.created_at, t.run_id, t.seq LIMIT :limit",
            f)
        .bind("limit", limit)
        .map((rs, ctx) -> TaskRepository.inRun(rs))
        .list();
  }

  public List<RunSums> runSums(ReportFilter f) {
    return query(
            "SELECT r.workflow, r.action, SUM(r.actions_invoked) AS invoked,"
                + " SUM(r.subjects_matched) AS matched,"
                + " SUM(CASE WHEN r.cancel_json IS NOT NULL THEN 1 ELSE 0 END) AS cancelled"
                + " FROM runs r WHERE"
                + runs(f)
                + " GROUP BY r.workflow, r.action",
            f)
        .map(
            (rs, ctx) ->
                new RunSums(
                    rs.getString("workflow"),
                    rs.getString("action"),
                    rs.getLong("invoked"),
                    rs.getLong("matched"),
                    rs.getLong("cancelled")))
        .list();
  }

  /** The condition on the runs (alias {@code r}) a report counts. */
  private static String runs(ReportFilter f) {
    StringBuilder sql =
        new StringBuilder(" r.project = :project AND r.created_at >= :from AND r.created_at < :to");
    if (f.workflow() != null) sql.append(" AND r.workflow = :workflow");
    if (f.triggerType() != null) sql.append(" AND r.trigger_type = :triggerType");
    LabelFilter.append(sql, f.labels());
    return sql.toString();
  }

  private Query query(String sql, ReportFilter f) {
    Query q =
        h.createQuery(sql)
            .bind("project", f.project())
            .bind("from", Micros.of(f.from()))
            .bind("to", Micros.of(f.to()));
    if (f.workflow() != null) q.bind("workflow", f.workflow());
    if (f.triggerType() != null) q.bind("triggerType", f.triggerType());
    LabelFilter.bind(q, f.labels());
    return q;
  }

  private static final RowMapper<StepCount> STEP_COUNT =
      (rs, ctx) ->
          new StepCount(
              rs.getString("workflow"),
              rs.getString("action"),
              rs.getString("step"),
              rs.getString("k"),
              rs.getLong("n"),
              rs.getLong("subjects"));

  private static final RowMapper<Count> COUNT =
      (rs, ctx) ->
          new Count(
              rs.getString("workflow"), rs.getString("action"), rs.getString("k"), rs.getLong("n"));
}
