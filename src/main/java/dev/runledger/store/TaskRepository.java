package dev.runledger.store;

import dev.runledger.model.Failure;
import dev.runledger.model.InvalidInputException;
import dev.runledger.model.Json;
import dev.runledger.model.SkipReason;
import dev.runledger.model.Task;
import dev.runledger.model.TaskRef;
import dev.runledger.model.TaskStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/** Tasks of runs, in plan order. */
public final class TaskRepository {
  private final Handle h;
  private final PendingWrites later;

  TaskRepository(Handle h, PendingWrites later) {
    this.h = h;
    this.later = later;
  }

  /** Inserts tasks in one batch. */
  public void insertAll(List<Task> tasks) {
    if (tasks.isEmpty()) {
      return;
    }
    Sql.Stmt batch =
        Sql.of(
                "INSERT INTO tasks (run_id, name, seq, step, subject_key, subject_json, action,"
                    + " action_revision, action_hash, parameters_json, status, skip_reason,"
                    + " idempotency_key, result_json, outputs_json, failure_json, abort_json, attempts,"
                    + " started_at, completed_at, replay_of_run, replay_of_task, created_at,"
                    + " updated_at) VALUES (:run, :name, :seq, :step, :subjectKey, :subject, :action,"
                    + " :actionRevision, :actionHash, :params, :status, :skip, :key, :result,"
                    + " :outputs, :failure, :abort, :attempts, :started, :completed, :replayRun,"
                    + " :replayTask, :created, :updated)")
            .on(h, later, 0);
    for (Task t : tasks) {
      bindAll(batch, t).add();
    }
    batch.executeBatch();
  }

  public Optional<Task> find(String runId, String name) {
    return Sql.of("SELECT * FROM tasks WHERE run_id = :run AND name = :name")
        .on(h)
        .str("run", runId)
        .str("name", name)
        .one(TaskRepository::map);
  }

  /**
   * The tasks named by {@code (runId, name)} pairs, keyed {@code runId + "/" + name} (one statement
   * for a claim batch).
   */
  public java.util.Map<String, Task> findAll(List<java.util.Map.Entry<String, String>> keys) {
    java.util.Map<String, Task> tasks = new java.util.HashMap<>();
    if (keys.isEmpty()) {
      return tasks;
    }
    java.util.Set<String> wanted = new java.util.HashSet<>();
    java.util.Set<String> runs = new java.util.LinkedHashSet<>();
    java.util.Set<String> names = new java.util.LinkedHashSet<>();
    for (var k : keys) {
      wanted.add(k.getKey() + "/" + k.getValue());
      runs.add(k.getKey());
      names.add(k.getValue());
    }
    Sql.in(
            h,
            Sql.expand(
                Sql.dialect(h),
                "SELECT * FROM tasks WHERE run_id IN (<runs>) AND name IN (<names>)",
                "runs",
                runs.size()),
            "names",
            names.size())
        .on(h)
        .strs("runs", List.copyOf(runs))
        .strs("names", List.copyOf(names))
        .list(TaskRepository::map)
        .forEach(
            t -> {
              String key = t.runId() + "/" + t.name();
              if (wanted.contains(key)) {
                tasks.put(key, t);
              }
            });
    return tasks;
  }

  /** Tasks of a run in plan order after {@code afterSeq}, optionally of one status or step. */
  public List<Task> list(
      String runId, List<TaskStatus> statuses, String step, int afterSeq, int limit) {
    return list(runId, statuses, step, null, afterSeq, limit);
  }

  /**
   * As {@link #list(String, List, String, int, int)}, and of subjects whose key contains {@code
   * subject} (any case), when given.
   */
  public List<Task> list(
      String runId,
      List<TaskStatus> statuses,
      String step,
      String subject,
      int afterSeq,
      int limit) {
    StringBuilder sql =
        new StringBuilder("SELECT * FROM tasks WHERE run_id = :run AND seq > :after");
    if (statuses != null && !statuses.isEmpty()) sql.append(" AND status IN (<statuses>)");
    if (step != null) sql.append(" AND step = :step");
    if (subject != null) sql.append(" AND LOWER(subject_key) LIKE :subject ESCAPE '\\'");
    sql.append(" ORDER BY seq LIMIT :limit");
    Query q = h.createQuery(sql.toString()).bind("run", runId).bind("after", afterSeq);
    if (statuses != null && !statuses.isEmpty()) {
      q.bindList("statuses", statuses.stream().map(TaskStatus::wire).toList());
    }
    if (step != null) q.bind("step", step);
    if (subject != null) {
      String escaped =
          subject
              .toLowerCase(java.util.Locale.ROOT)
              .replace("\\", "\\\\")
              .replace("%", "\\%")
              .replace("_", "\\_");
      q.bind("subject", "%" + escaped + "%");
    }
    return q.bind("limit", limit).map((rs, ctx) -> map(rs)).list();
  }

  /**
   * Tasks of the filter's project across its runs, newest planned first, after the {@link
   * #cursorAfter cursor} if any.
   */
  public List<TaskInRun> listAcross(TaskFilter f, String cursor, int limit) {
    StringBuilder sql =
        new StringBuilder(
            "SELECT t.*, r.workflow AS run_workflow, r.action AS run_action,"
                + " r.triggered_by AS run_triggered_by FROM tasks t JOIN runs r ON r.id = t.run_id"
                + " WHERE r.project = :project");
    boolean statuses = f.statuses() != null && !f.statuses().isEmpty();
    if (statuses) sql.append(" AND t.status IN (<statuses>)");
    if (f.action() != null) sql.append(" AND t.action = :action");
    if (f.triggeredBy() != null) sql.append(" AND r.triggered_by = :triggeredBy");
    if (f.since() != null) sql.append(" AND t.created_at >= :since");
    if (f.until() != null) sql.append(" AND t.created_at < :until");
    Cursor after = cursor == null || cursor.isEmpty() ? null : Cursor.parse(cursor);
    if (after != null) {
      sql.append(
          " AND (t.created_at < :afterCreated OR (t.created_at = :afterCreated AND (t.run_id <"
              + " :afterRun OR (t.run_id = :afterRun AND t.seq < :afterSeq))))");
    }
    sql.append(" ORDER BY t.created_at DESC, t.run_id DESC, t.seq DESC LIMIT :limit");
    Query q = h.createQuery(sql.toString()).bind("project", f.project()).bind("limit", limit);
    if (statuses) q.bindList("statuses", f.statuses().stream().map(TaskStatus::wire).toList());
    if (f.action() != null) q.bind("action", f.action());
    if (f.triggeredBy() != null) q.bind("triggeredBy", f.triggeredBy());
    if (f.since() != null) q.bind("since", Micros.of(f.since()));
    if (f.until() != null) q.bind("until", Micros.of(f.until()));
    if (after != null) {
      q.bind("afterCreated", after.created()).bind("afterRun", after.runId());
      q.bind("afterSeq", after.seq());
    }
    return q.map((rs, ctx) -> inRun(rs)).list();
  }

  /** The columns {@code t.*, run_workflow, run_action, run_triggered_by} as a task in its run. */
  static TaskInRun inRun(ResultSet rs) throws SQLException {
    return new TaskInRun(
        map(rs),
        rs.getString("run_workflow"),
        rs.getString("run_action"),
        rs.getString("run_triggered_by"));
  }

  /** The cursor after {@code last} in {@link #listAcross}. */
  public static String cursorAfter(Task last) {
    return new Cursor(Micros.of(last.createdAt()), last.runId(), last.seq()).toString();
  }

  /** A position in {@link #listAcross}: when the task was planned, its run, its seq. */
  private record Cursor(long created, String runId, int seq) {
    static Cursor parse(String text) {
      String[] parts = text.split("/", -1);
      try {
        if (parts.length != 3 || parts[1].isEmpty()) {
          throw new NumberFormatException();
        }
        return new Cursor(Long.parseLong(parts[0]), parts[1], Integer.parseInt(parts[2]));
      } catch (NumberFormatException e) {
        throw new InvalidInputException("cursor", "not a cursor this listing returned");
      }
    }

    @Override
    public String toString() {
      return created + "/" + runId + "/" + seq;
    }
  }

  /** The outputs of a step's tasks that succeeded (or were replayed), in plan order. */
  public List<com.fasterxml.jackson.databind.JsonNode> outputsOfStep(String runId, String step) {
    return h.createQuery(
            "SELECT outputs_json FROM tasks WHERE run_id = :run AND step = :step"
                + " AND status IN ('succeeded', 'idempotent-replay') ORDER BY seq")
        .bind("run", runId)
        .bind("step", step)
        .map((rs, ctx) -> Rows.json(rs, "outputs_json"))
        .list();
  }

  /**
   * Removes a placeholder task (a step skipped as a whole) so that the step can be planned again.
   */
  public void deletePlaceholder(String runId, String name) {
    h.createUpdate("DELETE FROM tasks WHERE run_id = :run AND name = :name AND status = 'skipped'")
        .bind("run", runId)
        .bind("name", name)
        .execute();
  }

  /** The highest plan position used in the run so far (0 when none). */
  public int maxSeq(String runId) {
    return Sql.of("SELECT COALESCE(MAX(seq), 0) FROM tasks WHERE run_id = :run")
        .on(h)
        .str("run", runId)
        .one(rs -> rs.getInt(1))
        .orElse(0);
  }

  /** Writes a task's mutable fields. */
  public void update(Task t) {
    bindAll(
            Sql.of(
                    "UPDATE tasks SET status = :status, skip_reason = :skip, result_json = :result,"
                        + " outputs_json = :outputs, failure_json = :failure, abort_json = :abort,"
                        + " attempts = :attempts, started_at = :started, completed_at = :completed,"
                        + " replay_of_run = :replayRun, replay_of_task = :replayTask,"
                        + " updated_at = :updated WHERE run_id = :run AND name = :name")
                .on(h, later, 1),
            t)
        .execute();
  }

  /** Binds a task's columns; those the statement does not name are skipped. */
  private static Sql.Stmt bindAll(Sql.Stmt s, Task t) {
    s.str("run", t.runId()).str("name", t.name());
    if (s.has("seq")) {
      s.integer("seq", t.seq())
          .str("step", t.step())
          .str("subjectKey", t.subjectKey())
          .str("subject", Json.write(t.subject()))
          .str("action", t.action())
          .integer("actionRevision", t.actionRevision())
          .str("actionHash", t.actionHash())
          .str("params", Json.write(t.parameters()))
          .str("key", t.idempotencyKey())
          .lng("created", Micros.of(t.createdAt()));
    }
    return s.str("status", t.status().wire())
        .str("skip", t.skipReason() == null ? null : t.skipReason().wire())
        .str("result", Json.write(t.result()))
        .str("outputs", Json.write(t.outputs()))
        .str("failure", Json.write(t.failure()))
        .str("abort", Json.write(t.abort()))
        .integer("attempts", t.attempts())
        .lng("started", Micros.of(t.startedAt()))
        .lng("completed", Micros.of(t.completedAt()))
        .str("replayRun", t.replayOf() == null ? null : t.replayOf().runId())
        .str("replayTask", t.replayOf() == null ? null : t.replayOf().taskName())
        .lng("updated", Micros.of(t.updatedAt()));
  }

  /**
   * Gives a task a new idempotency key (a manual retry that asked for one); the next attempt runs
   * under it.
   */
  public void changeKey(String runId, String name, String key) {
    Sql.of("UPDATE tasks SET idempotency_key = :key WHERE run_id = :run AND name = :name")
        .on(h, later, 1)
        .str("run", runId)
        .str("name", name)
        .str("key", key)
        .execute();
  }

  static Task map(ResultSet rs) throws SQLException {
    String skip = rs.getString("skip_reason");
    String replayRun = rs.getString("replay_of_run");
    return new Task(
        rs.getString("run_id"),
        rs.getString("name"),
        rs.getInt("seq"),
        rs.getString("step"),
        rs.getString("subject_key"),
        Rows.json(rs, "subject_json"),
        rs.getString("action"),
        rs.getInt("action_revision"),
        rs.getString("action_hash"),
        Rows.json(rs, "parameters_json"),
        TaskStatus.fromWire(rs.getString("status")),
        skip == null ? null : SkipReason.fromWire(skip),
        rs.getString("idempotency_key"),
        Rows.json(rs, "result_json"),
        Rows.json(rs, "outputs_json"),
        Json.read(rs.getString("failure_json"), Failure.class),
        Rows.json(rs, "abort_json"),
        rs.getInt("attempts"),
        Rows.instant(rs, "started_at"),
        Rows.instant(rs, "completed_at"),
        Rows.instant(rs, "created_at"),
        Rows.instant(rs, "updated_at"),
        replayRun == null ? null : new TaskRef(replayRun, rs.getString("replay_of_task")));
  }
}
