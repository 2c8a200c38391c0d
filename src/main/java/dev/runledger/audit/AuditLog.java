package dev.runledger.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runledger.model.AuditEvent;
import dev.runledger.model.Ids;
import dev.runledger.model.Json;
import dev.runledger.store.Tx;
import java.time.Clock;

/**
 * Appends audit events inside the caller's transaction, so an event exists exactly when its change
 * does. The sealer chains them shortly after commit.
 */
public final class AuditLog {
  private final Clock clock;
  private final Runnable wakeSealer;

  public AuditLog(Clock clock, Runnable wakeSealer) {
    this.clock = clock;
    this.wakeSealer = wakeSealer;
  }

  /** A builder of one event; {@link Entry#append} writes it. */
  public Entry event(String type, String actor) {
    return new Entry(type, actor);
  }

  /** One audit event being described. */
  public final class Entry {
    private final String type;
    private final String actor;
    private String project;
    private String runId;
    private String taskName;
    private String target;
    private JsonNode details = Json.object();

    private Entry(String type, String actor) {
      this.type = type;
      this.actor = actor;
    }

    public Entry project(String value) {
      this.project = value;
      return this;
    }

    public Entry run(String value) {
      this.runId = value;
      return this;
    }

    public Entry task(String value) {
      this.taskName = value;
      return this;
    }

    public Entry target(String value) {
      this.target = value;
      return this;
    }

    public Entry details(JsonNode value) {
      this.details = value == null ? Json.object() : value;
      return this;
    }

    public void append(Tx tx) {
      String resolvedTarget = target;
      if (resolvedTarget == null) {
        resolvedTarget = taskName != null ? runId + "/" + taskName : runId != null ? runId : "";
      }
      tx.audit()
          .append(
              new AuditEvent(
                  Ids.event(),
                  null,
                  clock.instant(),
                  project,
                  actor,
                  type,
                  runId,
                  taskName,
                  resolvedTarget,
                  details,
                  null,
                  null));
      tx.afterCommit(wakeSealer);
    }
  }
}
