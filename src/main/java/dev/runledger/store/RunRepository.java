package dev.runledger.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runledger.model.InvalidInputException;
import dev.runledger.model.Json;
import dev.runledger.model.Run;
import dev.runledger.model.RunStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/** Runs and their labels. */
public final class RunRepository {
  private final Handle h;
  private final PendingWrites later;

  RunRepository(Handle h, PendingWrites later) {
    this.h = h;
    this.later = later;
  }

  public void insert(Run run) {
    Sql.of(
            "INSERT INTO runs (id, project, workflow, action, revision, definition_hash,"
                + " engine_version, status, trigger_type, trigger_json, triggered_by, initiated_by, labels_json,"
                + " parent_run, parent_task, parameters_json, subjects_matched, actions_invoked,"
                + " review_status, cancel_json, rerun_of, idempotency_key, plan_json, waiting, created_at, started_at,"
                + " completed_at, version) VALUES (:id, :project, :workflow, :action, :revision,"
                + " :hash, :engine, :status, :triggerType, :trigger, :by, :origin, :labels, :parentRun,"
                + " :parentTask, :params, :matched, :invoked, :review, :cancel, :rerunOf, :key, :plan, :waiting,"
                + " :created, :started, :completed, 0)")
        .on(h, later, 0)
        .str("id", run.id())
        .str("project", run.project())
        .str("workflow", run.workflow())
        .str("action", run.action())
        .integer("revision", run.revision())
        .str("hash", run.definitionHash())
        .str("engine", run.engineVersion())
        .str("status", run.status().wire())
        .str("triggerType", run.triggerType())
        .str("trigger", Json.write(run.trigger()))
        .str("by", run.triggeredBy())
        .str("origin", run.initiatedBy())
        .str("labels", Json.write(run.labels()))
        .str("parentRun", run.parentRun())
        .str("parentTask", run.parentTask())
        .str("params", Json.write(run.parameters()))
        .integer("matched", run.subjectsMatched())
        .integer("invoked", run.actionsInvoked())
        .str("review", run.reviewStatus())
        .str("cancel", Json.write(run.cancel()))
        .str("rerunOf", run.rerunOf())
        .str("key", run.idempotencyKey())
        .str("plan", Json.write(run.plan()))
        .integer("waiting", run.waiting() ? 1 : 0)
        .lng("created", Micros.of(run.createdAt()))
        .lng("started", Micros.of(run.startedAt()))
        .lng("completed", Micros.of(run.completedAt()))
        .execute();
    Iterator<Map.Entry<String, JsonNode>> labels = run.labels().fields();
    while (labels.hasNext()) {
      Map.Entry<String, JsonNode> label = labels.next();
      Sql.of("INSERT INTO run_labels (run_id, key, value) VALUES (:run, :k, :v)")
          .on(h, later, 0)
          .str("run", run.id())
          .str("k", label.getKey())
          .str("v", label.getValue().asText())
          .execute();
    }
  }

  public Optional<Run> find(String id) {
    return Sql.of("SELECT * FROM runs WHERE id = :id").on(h).str("id", id).one(RunRepository::map);
  }

  /**
   * The run as it is now, read back from its mutable columns only (those {@link #update} writes)
   * and combined with the fields of {@code known} that never change once inserted: the trigger,
   * parameters, plan and labels are not parsed again.
   */
  public Optional<Run> current(Run known) {
    return Sql.of(
            "SELECT status, started_at, completed_at, subjects_matched, actions_invoked,"
                + " cancel_json, review_status, review_by, review_at, review_comment, waiting,"
                + " version FROM runs WHERE id = :id")
        .on(h)
        .str("id", known.id())
        .one(
            rs -> {
              RunStatus status = RunStatus.fromWire(rs.getString(1));
              Long started = Rows.longValue(rs, "started_at");
              Long completed = Rows.longValue(rs, "completed_at");
              int matched = rs.getInt(4);
              int invoked = rs.getInt(5);
              JsonNode cancel = Json.read(rs.getString(6));
              String review = rs.getString(7);
              String reviewBy = rs.getString(8);
              Long reviewAt = Rows.longValue(rs, "review_at");
              String reviewComment = rs.getString(10);
              boolean waiting = rs.getInt(11) != 0;
              int version = rs.getInt(12);
              return known.with(
                  c -> {
                    c.status = status;
                    c.startedAt = started == null ? null : Micros.toInstant(started);
                    c.completedAt = completed == null ? null : Micros.toInstant(completed);
                    c.subjectsMatched = matched;
                    c.actionsInvoked = invoked;
                    c.cancel = cancel;
                    c.reviewStatus = review;
                    c.reviewBy = reviewBy;
                    c.reviewAt = reviewAt == null ? null : Micros.toInstant(reviewAt);
                    c.reviewComment = reviewComment;
                    c.waiting = waiting;
                    c.version = version;
                  });
            });
  }

  /** The runs with these ids, by id (one statement for a claim batch). */
  public Map<String, Run> findAll(java.util.Collection<String> ids) {
    Map<String, Run> runs = new java.util.HashMap<>();
    if (ids.isEmpty()) {
      return runs;
    }
    Sql.in(h, "SELECT * FROM runs WHERE id IN (<ids>)", "ids", ids.size())
        .on(h)
        .strs("ids", List.copyOf(ids))
        .list(RunRepository::map)
        .forEach(r -> runs.put(r.id(), r));
    return runs;
  }

  /**
   * Frees a run's trigger idempotency key once it expired, so that the key may start a new run.
   * Written at once, not deferred: the new run's insert comes after it in this transaction.
   */
  public void releaseIdempotencyKey(String runId) {
    h.createUpdate("UPDATE runs SET idempotency_key = NULL WHERE id = :id")
        .bind("id", runId)
        .execute();
  }

  /** The run an earlier trigger with this idempotency key made. */
  public Optional<Run> findByIdempotencyKey(String project, String principal, String key) {
    return h.createQuery(
            "SELECT * FROM runs WHERE project = :p AND triggered_by = :by AND idempotency_key = :k")
        .bind("p", project)
        .bind("by", principal)
        .bind("k", key)
        .map((rs, ctx) -> map(rs))
        .findOne();
  }

  /**
   * Writes the mutable fields of a run (status, timestamps, counters, cancel, review), guarded by
   * its version: returns false when another writer changed it first. Deferred in a batch run
   * without savepoints, where it returns true and a stale version fails the batch when the write
   * runs (the batch then runs again unit by unit, and this returns false in its place).
   */
  public boolean update(Run run) {
    return Sql.of(
                "UPDATE runs SET status = :status, started_at = :started, completed_at ="
                    + " :completed, subjects_matched = :matched, actions_invoked = :invoked,"
                    + " cancel_json = :cancel, review_status = :review, review_by = :reviewBy,"
                    + " review_at = :reviewAt, review_comment = :reviewComment, waiting = :waiting,"
                    + " version = version + 1 WHERE id = :id AND version = :version")
            .on(h, later, 1)
            .expectOneRow()
            .str("id", run.id())
            .integer("version", run.version())
            .str("status", run.status().wire())
            .lng("started", Micros.of(run.startedAt()))
            .lng("completed", Micros.of(run.completedAt()))
            .integer("matched", run.subjectsMatched())
            .integer("invoked", run.actionsInvoked())
            .str("cancel", Json.write(run.cancel()))
            .str("review", run.reviewStatus())
            .str("reviewBy", run.reviewBy())
            .lng("reviewAt", Micros.of(run.reviewAt()))
            .str("reviewComment", run.reviewComment())
            .integer("waiting", run.waiting() ? 1 : 0)
            .execute()
        == 1;
  }

  /** The order of a run listing: newest first by creation, or by completion. */
  public enum RunSort {
    CREATED_AT,
    /** Latest completed first; runs not completed yet come after every completed one. */
    COMPLETED_AT
  }

  /** Runs matching the filter, newest first, after the cursor {@code beforeId} (or a run id). */
  public List<Run> list(RunFilter f, String beforeId, int limit) {
    return list(f, RunSort.CREATED_AT, beforeId, limit);
  }

  /**
   * The cursor after {@code last} in a listing in this order: its id by creation; its completion
   * time and id by completion.
   */
  public static String cursorAfter(Run last, RunSort sort) {
    if (sort == RunSort.CREATED_AT) {
      return Micros.of(last.createdAt()) + "/" + last.id();
    }
    Long completed = Micros.of(last.completedAt());
    return (completed == null ? NOT_COMPLETED : completed) + "/" + last.id();
  }

  // Not completed sorts below every completion time (micros since the epoch are positive).
  private static final long NOT_COMPLETED = -1;
  private static final String COMPLETED_KEY = "COALESCE(r.completed_at, " + NOT_COMPLETED + ")";

  /** Runs matching the filter in this order, after the {@link #cursorAfter cursor} if any. */
  public List<Run> list(RunFilter f, RunSort sort, String cursor, int limit) {
    String beforeId = cursor;
    Long beforeKey = null;
    // A cursor is the last run's sort key and id; a bare id is a cursor of an earlier release,
    // before creation time became the key.
    if (cursor != null && (sort == RunSort.COMPLETED_AT || cursor.indexOf('/') >= 0)) {
      int slash = cursor.indexOf('/');
      try {
        beforeKey = Long.parseLong(cursor.substring(0, Math.max(slash, 0)));
      } catch (NumberFormatException e) {
        throw new InvalidInputException("cursor", "not a cursor this listing returned");
      }
      beforeId = cursor.substring(slash + 1);
    }
    String key = sort == RunSort.COMPLETED_AT ? COMPLETED_KEY : "r.created_at";
    int joined = LabelFilter.fewRunsLabel(h, f.labels());
    StringBuilder sql =
        new StringBuilder(
            joined < 0
                ? "SELECT * FROM runs r WHERE r.project = :project"
                : LabelFilter.joinedFirst(joined));
    List<String> statuses = new ArrayList<>();
    if (f.statuses() != null) {
      f.statuses().forEach(s -> statuses.add(s.wire()));
    }
    if (!statuses.isEmpty()) {
      sql.append(" AND r.status IN (<statuses>)");
    }
    if (f.workflow() != null) sql.append(" AND r.workflow = :workflow");
    if (f.action() != null) sql.append(" AND r.action = :action");
    if (f.triggeredBy() != null) sql.append(" AND r.triggered_by = :triggeredBy");
    if (f.triggerType() != null) sql.append(" AND r.trigger_type = :triggerType");
    if (f.since() != null) sql.append(" AND r.created_at >= :since");
    if (f.until() != null) sql.append(" AND r.created_at < :until");
    if (Run.REVIEW_NONE.equals(f.review())) {
      sql.append(" AND (r.review_status IS NULL OR r.review_status = :review)");
    } else if (f.review() != null) {
      sql.append(" AND r.review_status = :review");
    }
    if (beforeKey != null) {
      sql.append(" AND (" + key + " < :beforeKey OR (" + key)
          .append(" = :beforeKey AND r.id < :before))");
    } else if (beforeId != null) {
      sql.append(" AND r.id < :before");
    }
    LabelFilter.append(sql, f.labels(), joined);
    sql.append(" ORDER BY " + key + " DESC, r.id DESC LIMIT :limit");
    Query q = h.createQuery(sql.toString()).bind("project", f.project()).bind("limit", limit);
    if (!statuses.isEmpty()) q.bindList("statuses", statuses);
    if (f.workflow() != null) q.bind("workflow", f.workflow());
    if (f.action() != null) q.bind("action", f.action());
    if (f.triggeredBy() != null) q.bind("triggeredBy", f.triggeredBy());
    if (f.triggerType() != null) q.bind("triggerType", f.triggerType());
    if (f.since() != null) q.bind("since", Micros.of(f.since()));
    if (f.until() != null) q.bind("until", Micros.of(f.until()));
    if (f.review() != null) {
      q.bind("review", Run.REVIEW_NONE.equals(f.review()) ? Run.REVIEW_WAITS_FOR_END : f.review());
    }
    if (beforeId != null) q.bind("before", beforeId);
    if (beforeKey != null) q.bind("beforeKey", beforeKey);
    LabelFilter.bind(q, f.labels());
    return q.map((rs, ctx) -> map(rs)).list();
  }

  /** Runs of a workflow that are pending or running and not waiting for a concurrency slot. */
  public int countAdmitted(String project, String workflow) {
    return h.createQuery(
            "SELECT COUNT(*) FROM runs WHERE project = :p AND workflow = :w"
                + " AND status IN ('pending', 'running') AND waiting = 0")
        .bind("p", project)
        .bind("w", workflow)
        .mapTo(Integer.class)
        .one();
  }

  /** The oldest run of a workflow waiting for a concurrency slot. */
  public Optional<Run> oldestWaiting(String project, String workflow) {
    return h.createQuery(
            "SELECT * FROM runs WHERE project = :p AND workflow = :w AND waiting = 1"
                + " AND status = 'pending' ORDER BY id LIMIT 1")
        .bind("p", project)
        .bind("w", workflow)
        .map((rs, ctx) -> map(rs))
        .findOne();
  }

  /** Runs that are not terminal (to resume after a restart). */
  /** How many runs are in one of {@code statuses} (a cheap poll for benchmarks and tests). */
  public long countInStatus(List<RunStatus> statuses) {
    return h.createQuery("SELECT COUNT(*) FROM runs WHERE status IN (<statuses>)")
        .bindList("statuses", statuses.stream().map(RunStatus::wire).toList())
        .mapTo(Long.class)
        .one();
  }

  /**
   * For every run with a started task: microseconds from the run's creation to its first task's
   * start (trigger-to-start), by run id.
   */
  public Map<String, Long> triggerToStartMicros() {
    Map<String, Long> delays = new java.util.HashMap<>();
    h.createQuery(
            "SELECT r.id, MIN(t.started_at) - r.created_at AS delay FROM runs r"
                + " JOIN tasks t ON t.run_id = r.id WHERE t.started_at IS NOT NULL"
                + " GROUP BY r.id, r.created_at")
        .setFetchSize(5000)
        .map((rs, ctx) -> Map.entry(rs.getString("id"), rs.getLong("delay")))
        .forEach(e -> delays.put(e.getKey(), e.getValue()));
    return delays;
  }

  public List<String> activeIds() {
    return h.createQuery("SELECT id FROM runs WHERE status IN ('pending', 'running') ORDER BY id")
        .mapTo(String.class)
        .list();
  }

  static Run map(ResultSet rs) throws SQLException {
    return new Run(
        rs.getString("id"),
        rs.getString("project"),
        rs.getString("workflow"),
        rs.getString("action"),
        rs.getInt("revision"),
        rs.getString("definition_hash"),
        rs.getString("engine_version"),
        RunStatus.fromWire(rs.getString("status")),
        rs.getString("trigger_type"),
        Rows.json(rs, "trigger_json"),
        rs.getString("triggered_by"),
        rs.getString("initiated_by"),
        Rows.json(rs, "labels_json"),
        rs.getString("parent_run"),
        rs.getString("parent_task"),
        Rows.json(rs, "parameters_json"),
        rs.getInt("subjects_matched"),
        rs.getInt("actions_invoked"),
        rs.getString("review_status"),
        rs.getString("review_by"),
        Rows.instant(rs, "review_at"),
        rs.getString("review_comment"),
        Rows.json(rs, "cancel_json"),
        rs.getString("rerun_of"),
        rs.getString("idempotency_key"),
        Rows.json(rs, "plan_json"),
        rs.getInt("waiting") != 0,
        Rows.instant(rs, "created_at"),
        Rows.instant(rs, "started_at"),
        Rows.instant(rs, "completed_at"),
        rs.getInt("version"));
  }
}
