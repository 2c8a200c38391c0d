package dev.runledger.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One execution of a workflow (or of one action, as an implicit one-step workflow).
 *
 * @param trigger the trigger record: {@code {type, source, at, event, schedule}}
 * @param initiatedBy the principal at the root of the chain that led to this run: who triggered it,
 *     or, for a run started by an emitted event or as a child workflow, who started the run that
 *     emitted it or is its parent (carried through reruns too)
 * @param cancel {@code {requestedAt, by, reason, abort}} once a cancel or abort was asked for
 * @param waiting held back by the workflow's concurrency limit (pending until a slot frees)
 * @param plan what each step runs, pinned when the run was created: {@code {steps: {id: {kind,
 *     name, revision, hash}}}} (null for a one-off action run)
 */
public record Run(
    String id,
    String project,
    String workflow,
    String action,
    int revision,
    String definitionHash,
    String engineVersion,
    RunStatus status,
    String triggerType,
    JsonNode trigger,
    String triggeredBy,
    String initiatedBy,
    JsonNode labels,
    String parentRun,
    String parentTask,
    JsonNode parameters,
    int subjectsMatched,
    int actionsInvoked,
    String reviewStatus,
    String reviewBy,
    Instant reviewAt,
    String reviewComment,
    JsonNode cancel,
    String rerunOf,
    String idempotencyKey,
    JsonNode plan,
    boolean waiting,
    Instant createdAt,
    Instant startedAt,
    Instant completedAt,
    int version) {

  /** The stored review state of a run that will need review once it ends. */
  public static final String REVIEW_WAITS_FOR_END = "not-requested";

  /** The review state shown for a run without an open review (none asked for, or not yet). */
  public static final String REVIEW_NONE = "none";

  /** The review state as the API shows it: {@code none}, {@code pending}, {@code approved}... */
  public String reviewState() {
    return reviewStatus == null || REVIEW_WAITS_FOR_END.equals(reviewStatus)
        ? REVIEW_NONE
        : reviewStatus;
  }

  /** The definition kind this run executes: {@code workflow} or {@code action}. */
  public String definitionKind() {
    return workflow != null ? "workflow" : "action";
  }

  /** The name of the definition this run executes. */
  public String definitionName() {
    return workflow != null ? workflow : action;
  }

  /** A copy of this run with some fields changed by {@code change}. */
  public Run with(java.util.function.Consumer<Change> change) {
    Change c = new Change(this);
    change.accept(c);
    return c.build();
  }

  /** The mutable fields of a copy being made by {@link #with}. */
  public static final class Change {
    public String id;
    public String project;
    public String workflow;
    public String action;
    public int revision;
    public String definitionHash;
    public String engineVersion;
    public RunStatus status;
    public String triggerType;
    public JsonNode trigger;
    public String triggeredBy;
    public String initiatedBy;
    public JsonNode labels;
    public String parentRun;
    public String parentTask;
    public JsonNode parameters;
    public int subjectsMatched;
    public int actionsInvoked;
    public String reviewStatus;
    public String reviewBy;
    public Instant reviewAt;
    public String reviewComment;
    public JsonNode cancel;
    public String rerunOf;
    public String idempotencyKey;
    public JsonNode plan;
    public boolean waiting;
    public Instant createdAt;
    public Instant startedAt;
    public Instant completedAt;
    public int version;

    private Change(Run from) {
      this.id = from.id();
      this.project = from.project();
      this.workflow = from.workflow();
      this.action = from.action();
      this.revision = from.revision();
      this.definitionHash = from.definitionHash();
      this.engineVersion = from.engineVersion();
      this.status = from.status();
      this.triggerType = from.triggerType();
      this.trigger = from.trigger();
      this.triggeredBy = from.triggeredBy();
      this.initiatedBy = from.initiatedBy();
      this.labels = from.labels();
      this.parentRun = from.parentRun();
      this.parentTask = from.parentTask();
      this.parameters = from.parameters();
      this.subjectsMatched = from.subjectsMatched();
      this.actionsInvoked = from.actionsInvoked();
      this.reviewStatus = from.reviewStatus();
      this.reviewBy = from.reviewBy();
      this.reviewAt = from.reviewAt();
      this.reviewComment = from.reviewComment();
      this.cancel = from.cancel();
      this.rerunOf = from.rerunOf();
      this.idempotencyKey = from.idempotencyKey();
      this.plan = from.plan();
      this.waiting = from.waiting();
      this.createdAt = from.createdAt();
      this.startedAt = from.startedAt();
      this.completedAt = from.completedAt();
      this.version = from.version();
    }

    private Run build() {
      return new Run(
          id,
          project,
          workflow,
          action,
          revision,
          definitionHash,
          engineVersion,
          status,
          triggerType,
          trigger,
          triggeredBy,
          initiatedBy,
          labels,
          parentRun,
          parentTask,
          parameters,
          subjectsMatched,
          actionsInvoked,
          reviewStatus,
          reviewBy,
          reviewAt,
          reviewComment,
          cancel,
          rerunOf,
          idempotencyKey,
          plan,
          waiting,
          createdAt,
          startedAt,
          completedAt,
          version);
    }
  }
}
