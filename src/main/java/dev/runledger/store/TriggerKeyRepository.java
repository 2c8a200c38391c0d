package dev.runledger.store;

import dev.runledger.model.RequestFingerprint;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** The requests that Idempotency-Keys of triggers were bound to, by the run each made. */
public final class TriggerKeyRepository {
  private final Handle h;
  private final PendingWrites later;

  TriggerKeyRepository(Handle h, PendingWrites later) {
    this.h = h;
    this.later = later;
  }

  public void bind(String runId, RequestFingerprint fingerprint) {
    Sql.of(
            "INSERT INTO trigger_key_fingerprints (run_id, route, body_hash)"
                + " VALUES (:run, :route, :hash)")
        .on(h, later, 0)
        .str("run", runId)
        .str("route", fingerprint.route())
        .str("hash", fingerprint.bodyHash())
        .execute();
  }

  /** The request a run's key was bound to; empty for runs made before keys were bound. */
  public Optional<RequestFingerprint> find(String runId) {
    return h.createQuery("SELECT route, body_hash FROM trigger_key_fingerprints WHERE run_id = :r")
        .bind("r", runId)
        .map((rs, ctx) -> new RequestFingerprint(rs.getString("route"), rs.getString("body_hash")))
        .findOne();
  }
}
