package dev.runledger.engine.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runledger.model.Principal;
import dev.runledger.model.RequestFingerprint;

/**
 * A request to start a run.
 *
 * @param source {@code api}, {@code cli} or {@code web} for manual triggers
 * @param idempotencyKey the trigger's Idempotency-Key header, or null
 * @param fingerprint the request the key is bound to (route and body digest), or null: a key
 *     without one replays whatever run it made
 */
public record TriggerRequest(
    String project,
    String name,
    JsonNode parameters,
    JsonNode labels,
    Principal principal,
    String source,
    String idempotencyKey,
    RequestFingerprint fingerprint) {

  /** A request whose key (if any) is not bound to a route and body. */
  public TriggerRequest(
      String project,
      String name,
      JsonNode parameters,
      JsonNode labels,
      Principal principal,
      String source,
      String idempotencyKey) {
    this(project, name, parameters, labels, principal, source, idempotencyKey, null);
  }
}
