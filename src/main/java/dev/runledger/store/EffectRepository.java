package dev.runledger.store;

import dev.runledger.model.Json;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** Successful effects by idempotency key. */
public final class EffectRepository {
  private final Handle h;
  private final PendingWrites later;

  EffectRepository(Handle h, PendingWrites later) {
    this.h = h;
    this.later = later;
  }

  public Optional<Effect> find(String project, String key) {
    return h.createQuery("SELECT * FROM effects WHERE project = :p AND idempotency_key = :k")
        .bind("p", project)
        .bind("k", key)
        .map((rs, ctx) -> map(rs))
        .findOne();
  }

  /** The recorded effects of these idempotency keys in one project, by key. */
  public java.util.Map<String, Effect> findAll(String project, java.util.Collection<String> keys) {
    java.util.Map<String, Effect> effects = new java.util.HashMap<>();
    if (keys.isEmpty()) {
      return effects;
    }
    Sql.in(
            h,
            "SELECT * FROM effects WHERE project = :p AND idempotency_key IN (<keys>)",
            "keys",
            keys.size())
        .on(h)
        .str("p", project)
        .strs("keys", java.util.List.copyOf(keys))
        .list(EffectRepository::map)
        .forEach(e -> effects.put(e.idempotencyKey(), e));
    return effects;
  }

  /** Records the effect unless the key has one already (the first success stays). */
  public void record(Effect e) {
    Sql.of(
            "INSERT INTO effects (project, idempotency_key, action, run_id, task_name, result_json,"
                + " outputs_json, recorded_at) VALUES (:p, :k, :action, :run, :task, :result,"
                + " :outputs, :at)"
                + " ON CONFLICT (project, idempotency_key) DO NOTHING")
        .on(h, later, 0)
        .str("p", e.project())
        .str("k", e.idempotencyKey())
        .str("action", e.action())
        .str("run", e.runId())
        .str("task", e.taskName())
        .str("result", Json.write(e.result()))
        .str("outputs", Json.write(e.outputs()))
        .lng("at", Micros.of(e.recordedAt()))
        .execute();
  }

  private static Effect map(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new Effect(
        rs.getString("project"),
        rs.getString("idempotency_key"),
        rs.getString("action"),
        rs.getString("run_id"),
        rs.getString("task_name"),
        Rows.json(rs, "result_json"),
        Rows.json(rs, "outputs_json"),
        Rows.instant(rs, "recorded_at"));
  }
}
