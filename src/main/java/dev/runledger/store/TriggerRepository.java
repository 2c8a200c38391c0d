package dev.runledger.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runledger.model.Json;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** Schedule fires, received events and webhook secrets: what makes each trigger happen once. */
public final class TriggerRepository {
  private final Handle h;

  TriggerRepository(Handle h) {
    this.h = h;
  }

  /** A workflow that may start runs: its latest revision, not archived. */
  public record LiveWorkflow(String project, String name, int revision, Instant revisedAt) {}

  /** An event received earlier: its {@code evt_} id and the runs it started. */
  public record StoredEvent(String id, JsonNode runs) {}

  private static final String LIVE =
      "SELECT d.project, d.name, d.latest_revision, r.created_at FROM definitions d"
          + " JOIN definition_revisions r ON r.project = d.project AND r.kind = d.kind"
          + " AND r.name = d.name AND r.revision = d.latest_revision"
          + " WHERE d.kind = 'workflow' AND d.archived_at IS NULL";

  /** Every live workflow of every project. */
  public List<LiveWorkflow> liveWorkflows() {
    return h.createQuery(LIVE + " ORDER BY d.project, d.name").map(this::live).list();
  }

  /** Every live workflow of a project. */
  public List<LiveWorkflow> liveWorkflows(String project) {
    return h.createQuery(LIVE + " AND d.project = :p ORDER BY d.name")
        .bind("p", project)
        .map(this::live)
        .list();
  }

  private LiveWorkflow live(java.sql.ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx)
      throws java.sql.SQLException {
    return new LiveWorkflow(
        rs.getString("project"),
        rs.getString("name"),
        rs.getInt("latest_revision"),
        Rows.instant(rs, "created_at"));
  }

  /** The latest recorded fire of a workflow's schedule (by position), if any. */
  public Optional<Instant> lastFire(String project, String workflow, int index) {
    return h.createQuery(
            "SELECT MAX(fire_time) AS t FROM schedule_fires"
                + " WHERE project = :p AND workflow = :w AND schedule_index = :i")
        .bind("p", project)
        .bind("w", workflow)
        .bind("i", index)
        .map((rs, ctx) -> Rows.instant(rs, "t"))
        .findOne()
        .filter(t -> t != null);
  }

  /**
   * Records a fire; false when it was recorded already (here or by another node), and then the
   * caller starts nothing. On PostgreSQL a concurrent insert of the same key waits for the other
   * transaction and then finds the row.
   */
  public boolean claimFire(
      String project,
      String workflow,
      int index,
      Instant fireTime,
      int revision,
      String cron,
      Instant firedAt,
      boolean missed) {
    return h.createUpdate(
                "INSERT INTO schedule_fires"
                    + " (project, workflow, schedule_index, fire_time, revision, cron, fired_at,"
                    + " missed) VALUES (:p, :w, :i, :t, :r, :cron, :at, :missed)"
                    + " ON CONFLICT DO NOTHING")
            .bind("p", project)
            .bind("w", workflow)
            .bind("i", index)
            .bind("t", Micros.of(fireTime))
            .bind("r", revision)
            .bind("cron", cron)
            .bind("at", Micros.of(firedAt))
            .bind("missed", missed ? 1 : 0)
            .execute()
        == 1;
  }

  /** Notes the run a recorded fire started. */
  public void fireStarted(
      String project, String workflow, int index, Instant fireTime, String runId) {
    h.createUpdate(
            "UPDATE schedule_fires SET run_id = :run"
                + " WHERE project = :p AND workflow = :w AND schedule_index = :i AND fire_time = :t")
        .bind("p", project)
        .bind("w", workflow)
        .bind("i", index)
        .bind("t", Micros.of(fireTime))
        .bind("run", runId)
        .execute();
  }

  /**
   * Records a received event; false when the project has one with this source and id already (the
   * caller then answers with that one).
   */
  public boolean insertEvent(
      String project,
      String source,
      String eventId,
      String id,
      String type,
      JsonNode event,
      Instant at,
      String by) {
    return h.createUpdate(
                "INSERT INTO events"
                    + " (project, source, event_id, id, type, event_json, runs_json, received_at,"
                    + " received_by) VALUES (:p, :s, :e, :id, :type, :json, '[]', :at, :by)"
                    + " ON CONFLICT DO NOTHING")
            .bind("p", project)
            .bind("s", source)
            .bind("e", eventId)
            .bind("id", id)
            .bind("type", type)
            .bind("json", Json.write(event))
            .bind("at", Micros.of(at))
            .bind("by", by)
            .execute()
        == 1;
  }

  public Optional<StoredEvent> findEvent(String project, String source, String eventId) {
    return h.createQuery(
            "SELECT id, runs_json FROM events WHERE project = :p AND source = :s AND event_id = :e")
        .bind("p", project)
        .bind("s", source)
        .bind("e", eventId)
        .map((rs, ctx) -> new StoredEvent(rs.getString("id"), Rows.json(rs, "runs_json")))
        .findOne();
  }

  public void eventStarted(String id, JsonNode runs) {
    h.createUpdate("UPDATE events SET runs_json = :runs WHERE id = :id")
        .bind("id", id)
        .bind("runs", Json.write(runs))
        .execute();
  }

  /** Sets (or replaces) a workflow's webhook secret hash. */
  public void putHook(String project, String workflow, String secretHash, Instant at, String by) {
    int updated =
        h.createUpdate(
                "UPDATE workflow_hooks SET secret_hash = :hash, created_at = :at, created_by = :by"
                    + " WHERE project = :p AND workflow = :w")
            .bind("p", project)
            .bind("w", workflow)
            .bind("hash", secretHash)
            .bind("at", Micros.of(at))
            .bind("by", by)
            .execute();
    if (updated == 0) {
      h.createUpdate(
              "INSERT INTO workflow_hooks (project, workflow, secret_hash, created_at, created_by)"
                  + " VALUES (:p, :w, :hash, :at, :by)")
          .bind("p", project)
          .bind("w", workflow)
          .bind("hash", secretHash)
          .bind("at", Micros.of(at))
          .bind("by", by)
          .execute();
    }
  }

  public Optional<String> hookHash(String project, String workflow) {
    return h.createQuery(
            "SELECT secret_hash FROM workflow_hooks WHERE project = :p AND workflow = :w")
        .bind("p", project)
        .bind("w", workflow)
        .mapTo(String.class)
        .findOne();
  }
}
