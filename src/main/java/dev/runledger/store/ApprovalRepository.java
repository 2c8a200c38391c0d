package dev.runledger.store;

import dev.runledger.model.Approval;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/** Approvals that gate tasks. */
public final class ApprovalRepository {
  private final Handle h;

  ApprovalRepository(Handle h) {
    this.h = h;
  }

  public void insert(Approval a) {
    h.createUpdate(
            "INSERT INTO approvals (id, project, run_id, task_name, role, state,"
                + " allow_self_approval, requested_at, expires_at) VALUES (:id, :project, :run,"
                + " :task, :role, :state, :self, :at, :expires)")
        .bind("id", a.id())
        .bind("project", a.project())
        .bind("run", a.runId())
        .bind("task", a.taskName())
        .bind("role", a.role())
        .bind("state", a.state())
        .bind("self", a.allowSelfApproval() ? 1 : 0)
        .bind("at", Micros.of(a.requestedAt()))
        .bind("expires", Micros.of(a.expiresAt()))
        .execute();
  }

  public Optional<Approval> find(String id) {
    return h.createQuery("SELECT * FROM approvals WHERE id = :id")
        .bind("id", id)
        .map((rs, ctx) -> map(rs))
        .findOne();
  }

  public Optional<Approval> forTask(String runId, String taskName) {
    return h.createQuery("SELECT * FROM approvals WHERE run_id = :run AND task_name = :task")
        .bind("run", runId)
        .bind("task", taskName)
        .map((rs, ctx) -> map(rs))
        .findOne();
  }

  /** Records a decision on a pending approval; false if it was decided already. */
  public boolean decide(String id, String state, String by, Instant at, String comment) {
    return h.createUpdate(
                "UPDATE approvals SET state = :state, decided_by = :by, decided_at = :at,"
                    + " comment = :comment WHERE id = :id AND state = 'pending'")
            .bind("id", id)
            .bind("state", state)
            .bind("by", by)
            .bind("at", Micros.of(at))
            .bind("comment", comment)
            .execute()
        == 1;
  }

  /** Approvals of one project, newest first, optionally in one state, with ids below a cursor. */
  public List<Approval> list(String project, String state, String beforeId, int limit) {
    StringBuilder sql = new StringBuilder("SELECT * FROM approvals WHERE project = :project");
    if (state != null) sql.append(" AND state = :state");
    if (beforeId != null) sql.append(" AND id < :before");
    sql.append(" ORDER BY id DESC LIMIT :limit");
    Query q = h.createQuery(sql.toString()).bind("project", project).bind("limit", limit);
    if (state != null) q.bind("state", state);
    if (beforeId != null) q.bind("before", beforeId);
    return q.map((rs, ctx) -> map(rs)).list();
  }

  /** Pending approvals whose time ran out before {@code now}. */
  public List<Approval> expired(Instant now, int limit) {
    return h.createQuery(
            "SELECT * FROM approvals WHERE state = 'pending' AND expires_at IS NOT NULL"
                + " AND expires_at < :now ORDER BY expires_at LIMIT :limit")
        .bind("now", Micros.of(now))
        .bind("limit", limit)
        .map((rs, ctx) -> map(rs))
        .list();
  }

  private static Approval map(ResultSet rs) throws SQLException {
    return new Approval(
        rs.getString("id"),
        rs.getString("project"),
        rs.getString("run_id"),
        rs.getString("task_name"),
        rs.getString("role"),
        rs.getString("state"),
        rs.getInt("allow_self_approval") != 0,
        Rows.instant(rs, "requested_at"),
        Rows.instant(rs, "expires_at"),
        rs.getString("decided_by"),
        Rows.instant(rs, "decided_at"),
        rs.getString("comment"));
  }
}
