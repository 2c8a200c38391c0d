package dev.runledger.api;

import dev.runledger.audit.AuditLog;
import dev.runledger.audit.AuditSealer;
import dev.runledger.audit.AuditVerifier;
import dev.runledger.engine.access.SecretService;
import dev.runledger.engine.access.TokenService;
import dev.runledger.engine.catalog.DefinitionService;
import dev.runledger.engine.governance.ApprovalService;
import dev.runledger.engine.governance.RetryService;
import dev.runledger.engine.governance.ReviewService;
import dev.runledger.engine.run.RunService;
import dev.runledger.engine.trigger.EventService;
import dev.runledger.engine.trigger.Scheduler;
import dev.runledger.engine.trigger.WebhookService;
import dev.runledger.model.Role;
import dev.runledger.store.BlobStore;
import dev.runledger.store.Store;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * What the HTTP layer is given by the wiring.
 *
 * @param logStreamsPerPrincipal how many {@code logs?follow=true} streams one principal may hold
 *     open at once (0 = no limit)
 * @param corsOrigins the origins a browser may call the API from ({@code serve --cors-origin});
 *     empty: CORS is off
 */
public record ApiContext(
    Store store,
    DefinitionService definitions,
    RunService runs,
    TokenService tokens,
    SecretService secrets,
    AuditLog audit,
    AuditSealer sealer,
    AuditVerifier verifier,
    ApprovalService approvals,
    ReviewService reviews,
    RetryService retries,
    Clock clock,
    long maxBodyBytes,
    int triggersPerMinute,
    BlobStore blobs,
    Map<Role, Integer> triggerRatesByRole,
    EventService events,
    WebhookService hooks,
    int logStreamsPerPrincipal,
    Scheduler scheduler,
    List<String> corsOrigins) {
  public ApiContext {
    corsOrigins = corsOrigins == null ? List.of() : List.copyOf(corsOrigins);
  }
}
