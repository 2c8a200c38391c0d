package dev.runledger.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One action invoked on one subject in one step of a run.
 *
 * @param createdAt when the task was planned
 * @param updatedAt when its record last changed
 * @param replayOf for an {@code idempotent-replay}, the task whose recorded effect it replays; null
 *     otherwise, and when the outside system itself answered with a replay
 */
public record Task(
    String runId,
    String name,
    int seq,
    String step,
    String subjectKey,
    JsonNode subject,
    String action,
    int actionRevision,
    String actionHash,
    JsonNode parameters,
    TaskStatus status,
    SkipReason skipReason,
    String idempotencyKey,
    JsonNode result,
    JsonNode outputs,
    Failure failure,
    JsonNode abort,
    int attempts,
    Instant startedAt,
    Instant completedAt,
    Instant createdAt,
    Instant updatedAt,
    TaskRef replayOf) {

  /** A copy of this task with some fields changed by {@code change}. */
  public Task with(java.util.function.Consumer<Change> change) {
    Change c = new Change(this);
    change.accept(c);
    return c.build();
  }

  /** The mutable fields of a copy being made by {@link #with}. */
  public static final class Change {
    public String runId;
    public String name;
    public int seq;
    public String step;
    public String subjectKey;
    public JsonNode subject;
    public String action;
    public int actionRevision;
    public String actionHash;
    public JsonNode parameters;
    public TaskStatus status;
    public SkipReason skipReason;
    public String idempotencyKey;
    public JsonNode result;
    public JsonNode outputs;
    public Failure failure;
    public JsonNode abort;
    public int attempts;
    public Instant startedAt;
    public Instant completedAt;
    public Instant createdAt;
    public Instant updatedAt;
    public TaskRef replayOf;

    private Change(Task from) {
      this.runId = from.runId();
      this.name = from.name();
      this.seq = from.seq();
      this.step = from.step();
      this.subjectKey = from.subjectKey();
      this.subject = from.subject();
      this.action = from.action();
      this.actionRevision = from.actionRevision();
      this.actionHash = from.actionHash();
      this.parameters = from.parameters();
      this.status = from.status();
      this.skipReason = from.skipReason();
      this.idempotencyKey = from.idempotencyKey();
      this.result = from.result();
      this.outputs = from.outputs();
      this.failure = from.failure();
      this.abort = from.abort();
      this.attempts = from.attempts();
      this.startedAt = from.startedAt();
      this.completedAt = from.completedAt();
      this.createdAt = from.createdAt();
      this.updatedAt = from.updatedAt();
      this.replayOf = from.replayOf();
    }

    private Task build() {
      return new Task(
          runId,
          name,
          seq,
          step,
          subjectKey,
          subject,
          action,
          actionRevision,
          actionHash,
          parameters,
          status,
          skipReason,
          idempotencyKey,
          result,
          outputs,
          failure,
          abort,
          attempts,
          startedAt,
          completedAt,
          createdAt,
          updatedAt,
          replayOf);
    }
  }
}
