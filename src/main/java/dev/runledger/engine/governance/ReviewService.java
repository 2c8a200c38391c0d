package dev.runledger.engine.governance;

import dev.runledger.audit.AuditLog;
import dev.runledger.engine.StateConflictException;
import dev.runledger.engine.run.RunService;
import dev.runledger.engine.run.StateChanges;
import dev.runledger.model.Json;
import dev.runledger.model.Principal;
import dev.runledger.model.Run;
import dev.runledger.store.Store;
import java.time.Clock;
import java.time.Instant;

/**
 * Run review: a human decision on a finished run's results. It never changes the run's execution
 * status, and execution never changes it.
 */
public final class ReviewService {
  private final Store store;
  private final StateChanges changes;
  private final AuditLog audit;
  private final Clock clock;

  public ReviewService(Store store, StateChanges changes, AuditLog audit, Clock clock) {
    this.store = store;
    this.changes = changes;
    this.audit = audit;
    this.clock = clock;
  }

  /**
   * Records {@code approve} or {@code reject} on a finished run.
   *
   * @throws StateConflictException when the run has not ended, or was reviewed already
   */
  public Run review(
      String project, String runId, Principal principal, boolean approve, String comment) {
    return store.writeAndWait(
        tx -> {
          Run run = RunService.findRun(tx, project, runId);
          if (!run.status().isTerminal()) {
            throw new StateConflictException(
                "run " + runId + " is " + run.status().wire() + "; a run is reviewed once it ends");
          }
          if ("approved".equals(run.reviewStatus()) || "rejected".equals(run.reviewStatus())) {
            throw new StateConflictException(
                "run "
                    + runId
                    + " was reviewed already: "
                    + run.reviewStatus()
                    + " by "
                    + run.reviewBy());
          }
          Instant now = clock.instant();
          String decision = approve ? "approved" : "rejected";
          Run reviewed =
              changes.save(
                  tx,
                  run.with(
                      c -> {
                        c.reviewStatus = decision;
                        c.reviewBy = principal.name();
                        c.reviewAt = now;
                        c.reviewComment = comment;
                      }));
          audit
              .event("run.reviewed", principal.name())
              .project(project)
              .run(runId)
              .details(Json.object().put("decision", decision).put("comment", comment))
              .append(tx);
          return reviewed;
        });
  }
}
