package dev.runledger.store;

import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * Aggregates over a period for reports, counted in the database: runs created in {@code [from, to)}
 * by workflow (or action, for one-off runs).
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

  private static final String RUNS_IN_PERIOD =
      " r.project = :project AND r.created_at >= :from AND r.created_at < :to";

  public List<Count> runsByStatus(String project, Instant from, Instant to) {
    return counts(
        "SELECT r.workflow, r.action, r.status AS k, COUNT(*) AS n FROM runs r WHERE"
            + RUNS_IN_PERIOD
            + " GROUP BY r.workflow, r.action, r.status",
        project,
        from,
        to);
  }

  public List<Count> tasksByStatus(String project, Instant from, Instant to) {
    return counts(
        "SELECT r.workflow, r.action, t.status AS k, COUNT(*) AS n FROM tasks t"
            + " JOIN runs r ON r.id = t.run_id WHERE"
            + RUNS_IN_PERIOD
            + " GROUP BY r.workflow, r.action, t.status",
        project,
        from,
        to);
  }

  /** Attempts after the first of a task: automatic, manual and lost-worker retries. */
  public List<Count> retries(String project, Instant from, Instant to) {
    return counts(
        "SELECT r.workflow, r.action, 'retries' AS k, COUNT(*) AS n FROM attempts a"
            + " JOIN runs r ON r.id = a.run_id WHERE a.number > 1 AND"
            + RUNS_IN_PERIOD
            + " GROUP BY r.workflow, r.action",
        project,
        from,
        to);
  }

  /** Approvals decided by a person, by decision ({@code approved}, {@code rejected}). */
  public List<Count> approvalsDecided(String project, Instant from, Instant to) {
    return counts(
        "SELECT r.workflow, r.action, ap.state AS k, COUNT(*) AS n FROM approvals ap"
            + " JOIN runs r ON r.id = ap.run_id WHERE ap.state IN ('approved', 'rejected') AND"
            + RUNS_IN_PERIOD
            + " GROUP BY r.workflow, r.action, ap.state",
        project,
        from,
        to);
  }

  public List<RunSums> runSums(String project, Instant from, Instant to) {
    return h.createQuery(
            "SELECT r.workflow, r.action, SUM(r.actions_invoked) AS invoked,"
                + " SUM(r.subjects_matched) AS matched,"
                + " SUM(CASE WHEN r.cancel_json IS NOT NULL THEN 1 ELSE 0 END) AS cancelled"
                + " FROM runs r WHERE"
                + RUNS_IN_PERIOD
                + " GROUP BY r.workflow, r.action")
        .bind("project", project)
        .bind("from", Micros.of(from))
        .bind("to", Micros.of(to))
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

  private List<Count> counts(String sql, String project, Instant from, Instant to) {
    return h.createQuery(sql)
        .bind("project", project)
        .bind("from", Micros.of(from))
        .bind("to", Micros.of(to))
        .map(
            (rs, ctx) ->
                new Count(
                    rs.getString("workflow"),
                    rs.getString("action"),
                    rs.getString("k"),
                    rs.getLong("n")))
        .list();
  }
}
