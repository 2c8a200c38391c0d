package dev.runledger.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runledger.model.Json;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** Per-attempt evidence: what ran and in which environment, as JSON. */
public final class EvidenceRepository {
  private final Handle h;
  private final PendingWrites later;

  EvidenceRepository(Handle h, PendingWrites later) {
    this.h = h;
    this.later = later;
  }

  public void put(String runId, String taskName, int attempt, JsonNode evidence) {
    String json = Json.write(evidence);
    Sql.of(
            "INSERT INTO attempt_evidence (run_id, task_name, attempt, evidence_json)"
                + " VALUES (:run, :task, :attempt, :json) ON CONFLICT (run_id, task_name, attempt)"
                + " DO UPDATE SET evidence_json = :json")
        .on(h, later, 1)
        .str("run", runId)
        .str("task", taskName)
        .integer("attempt", attempt)
        .str("json", json)
        .execute();
  }

  public Optional<JsonNode> find(String runId, String taskName, int attempt) {
    return h.createQuery(
            "SELECT evidence_json FROM attempt_evidence WHERE run_id = :run AND task_name = :task"
                + " AND attempt = :attempt")
        .bind("run", runId)
        .bind("task", taskName)
        .bind("attempt", attempt)
        .map((rs, ctx) -> Rows.json(rs, "evidence_json"))
        .findOne();
  }
}
