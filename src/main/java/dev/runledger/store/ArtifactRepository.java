package dev.runledger.store;

import dev.runledger.model.Artifact;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/** Artifacts: the files tasks consumed and produced, by run and by content. */
public final class ArtifactRepository {
  private final Handle h;

  ArtifactRepository(Handle h) {
    this.h = h;
  }

  public void insert(List<Artifact> artifacts) {
    if (artifacts.isEmpty()) {
      return;
    }
    PreparedBatch batch =
        h.prepareBatch(
            "INSERT INTO artifacts (run_id, task_name, attempt, direction, name, sha256, size,"
                + " media_type, created_at) VALUES (:run, :task, :attempt, :direction, :name,"
                + " :sha, :size, :mediaType, :at)");
    for (Artifact a : artifacts) {
      batch
          .bind("run", a.runId())
          .bind("task", a.taskName())
          .bind("attempt", a.attempt())
          .bind("direction", a.direction())
          .bind("name", a.name())
          .bind("sha", a.sha256())
          .bind("size", a.size())
          .bind("mediaType", a.mediaType())
          .bind("at", Micros.of(a.createdAt()))
          .add();
    }
    batch.execute();
  }

  /** A run's artifacts in the order they were recorded. */
  public List<Artifact> forRun(String runId) {
    return h.createQuery("SELECT * FROM artifacts WHERE run_id = :run ORDER BY pk")
        .bind("run", runId)
        .map((rs, ctx) -> map(rs))
        .list();
  }

  /** The files one attempt consumed and produced. */
  public List<Artifact> forAttempt(String runId, String taskName, int attempt) {
    return h.createQuery(
            "SELECT * FROM artifacts WHERE run_id = :run AND task_name = :task"
                + " AND attempt = :attempt ORDER BY pk")
        .bind("run", runId)
        .bind("task", taskName)
        .bind("attempt", attempt)
        .map((rs, ctx) -> map(rs))
        .list();
  }

  /** Every record of one content, across runs, oldest first. */
  public List<Artifact> bySha(String sha256) {
    return h.createQuery("SELECT * FROM artifacts WHERE sha256 = :sha ORDER BY pk")
        .bind("sha", sha256)
        .map((rs, ctx) -> map(rs))
        .list();
  }

  /** Whether a run in {@code project} recorded this content. */
  public boolean visibleIn(String sha256, String project) {
    return h.createQuery(
                "SELECT COUNT(*) FROM artifacts a JOIN runs r ON r.id = a.run_id"
                    + " WHERE a.sha256 = :sha AND r.project = :project")
            .bind("sha", sha256)
            .bind("project", project)
            .mapTo(Long.class)
            .one()
        > 0;
  }

  /**
   * The files a step's successful tasks produced, by name ({@code sha256:<hex>}); in a fan-out step
   * a later task's file of the same name wins.
   */
  public Map<String, String> filesOfStep(String runId, String step) {
    Map<String, String> files = new LinkedHashMap<>();
    h.createQuery(
            "SELECT a.name, a.sha256 FROM artifacts a JOIN tasks t"
                + " ON t.run_id = a.run_id AND t.name = a.task_name"
                + " WHERE a.run_id = :run AND t.step = :step AND a.direction = 'produced'"
                + " AND t.status IN ('succeeded', 'idempotent-replay') ORDER BY a.pk")
        .bind("run", runId)
        .bind("step", step)
        .map((rs, ctx) -> Map.entry(rs.getString("name"), rs.getString("sha256")))
        .forEach(e -> files.put(e.getKey(), e.getValue()));
    return files;
  }

  /** Bytes a run has produced so far. */
  public long producedBytes(String runId) {
    return h.createQuery(
            "SELECT COALESCE(SUM(size), 0) FROM artifacts WHERE run_id = :run"
                + " AND direction = 'produced'")
        .bind("run", runId)
        .mapTo(Long.class)
        .one();
  }

  static Artifact map(ResultSet rs) throws SQLException {
    return new Artifact(
        rs.getString("run_id"),
        rs.getString("task_name"),
        rs.getInt("attempt"),
        rs.getString("direction"),
        rs.getString("name"),
        rs.getString("sha256"),
        rs.getLong("size"),
        rs.getString("media_type"),
        Rows.instant(rs, "created_at"));
  }
}
