package dev.runledger.engine.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runledger.audit.AuditLog;
import dev.runledger.engine.IdempotencyKeyReusedException;
import dev.runledger.engine.NotFoundException;
import dev.runledger.engine.Principals;
import dev.runledger.engine.StateConflictException;
import dev.runledger.engine.catalog.DefinitionService;
import dev.runledger.model.DefinitionRevision;
import dev.runledger.model.FieldError;
import dev.runledger.model.Ids;
import dev.runledger.model.InvalidInputException;
import dev.runledger.model.Json;
import dev.runledger.model.Principal;
import dev.runledger.model.RequestFingerprint;
import dev.runledger.model.Run;
import dev.runledger.model.RunStatus;
import dev.runledger.model.StepTarget;
import dev.runledger.model.Timestamps;
import dev.runledger.model.WorkflowDefinition;
import dev.runledger.model.WorkflowStep;
import dev.runledger.store.ConflictException;
import dev.runledger.store.Store;
import dev.runledger.store.Tx;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Starts runs (by hand, and for the triggers and retries that start theirs through {@link #create})
 * and takes the decisions people make about them: cancel and abort, through {@link
 * RunCancellation}.
 */
public final class RunService {
  private static final int TASK_PAGE = 500;

  /**
   * How long a trigger's Idempotency-Key names its run; after that the same key starts a new run
   * (docs/idempotency.md).
   */
  public static final Duration IDEMPOTENCY_KEY_RETENTION = Duration.ofHours(24);

  private final Store store;
  private final DefinitionService definitions;
  private final RunAdvancer advancer;
  private final StateChanges changes;
  private final AuditLog audit;
  private final Clock clock;
  private final String engineVersion;
  private final RunCancellation cancellation;
  private ChildRuns childRuns;

  public RunService(
      Store store,
      DefinitionService definitions,
      RunAdvancer advancer,
      StateChanges changes,
      AuditLog audit,
      Clock clock,
      String engineVersion,
      BiConsumer<String, String> abortLocally) {
    this.store = store;
    this.definitions = definitions;
    this.advancer = advancer;
    this.changes = changes;
    this.audit = audit;
    this.clock = clock;
    this.engineVersion = engineVersion;
    this.cancellation = new RunCancellation(store, advancer, changes, audit, clock, abortLocally);
  }

  /**
   * Starts a one-off run of the latest revision of an action. Parameters are validated against its
   * inputs schema (defaults applied) before anything is written.
   */
  public TriggerResult triggerAction(TriggerRequest request) {
    DefinitionRevision action =
        definitions
            .latestActive(request.project(), "action", request.name())
            .orElseThrow(() -> new NotFoundException("no action named " + request.name()));
    return trigger(request, action);
  }

  /** Starts a run of the latest revision of a workflow. */
  public TriggerResult triggerWorkflow(TriggerRequest request) {
    DefinitionRevision workflow =
        definitions
            .latestActive(request.project(), "workflow", request.name())
            .orElseThrow(() -> new NotFoundException("no workflow named " + request.name()));
    if (!definitions.workflow(workflow).manual()) {
      throw new StateConflictException(
          "workflow " + request.name() + " cannot be started by hand (on.manual is false)");
    }
    return trigger(request, workflow);
  }

  /**
   * Starts a run pinned to the workflow revision with this definition hash, even if the workflow
   * changed since; {@code request.name()} holds the hash.
   */
  public TriggerResult triggerWorkflowByHash(TriggerRequest request) {
    DefinitionRevision workflow =
        store
            .read(tx -> tx.definitions().byHash(request.project(), "workflow", request.name()))
            .orElseThrow(
                () -> new NotFoundException("no workflow revision has the hash " + request.name()));
    return trigger(request, workflow);
  }

  private TriggerResult trigger(TriggerRequest request, DefinitionRevision definition) {
    JsonNode parameters = definitions.applyInputs(definition, request.parameters());
    JsonNode labels = labels(request.labels());
    if (definition.kind().equals("workflow")) {
      // Here, on the caller's thread: a fan-out known now is counted before the shared writer.
      ObjectNode run =
          Json.object()
              .put("id", "")
              .put("project", definition.project())
              .put("workflow", definition.name())
              .put("triggeredBy", request.principal().name());
      run.set("labels", labels);
      advancer
          .taskPlanner()
          .refuseTooManySubjects(
              definitions.workflow(definition), parameters, manualTrigger(request), run);
    }
    try {
      return store.writeAndWait(tx -> start(tx, request, definition, parameters, labels));
    } catch (ConflictException e) {
      // Another node committed a run with the same Idempotency-Key first: that run is the answer.
      if (request.idempotencyKey() == null) {
        throw e;
      }
      return store
          .read(
              tx ->
                  tx.runs()
                      .findByIdempotencyKey(
                          request.project(), request.principal().name(), request.idempotencyKey())
                      .map(run -> replay(tx, request, run)))
          .orElseThrow(() -> e);
    }
  }

  private TriggerResult start(
      Tx tx,
      TriggerRequest request,
      DefinitionRevision definition,
      JsonNode parameters,
      JsonNode labels) {
    String principal = request.principal().name();
    if (request.idempotencyKey() != null) {
      var earlier =
          tx.runs().findByIdempotencyKey(request.project(), principal, request.idempotencyKey());
      if (earlier.isPresent()) {
        if (earlier.get().createdAt().plus(IDEMPOTENCY_KEY_RETENTION).isAfter(clock.instant())) {
          return replay(tx, request, earlier.get());
        }
        // expired: the key is free again, and starts a new run
        tx.runs().releaseIdempotencyKey(earlier.get().id());
      }
    }
    ObjectNode trigger = manualTrigger(request);
    Run run =
        create(
            tx,
            NewRun.of(definition, parameters, labels, trigger, principal)
                .withIdempotencyKey(request.idempotencyKey()));
    if (request.idempotencyKey() != null && request.fingerprint() != null) {
      tx.triggerKeys().bind(run.id(), request.fingerprint());
    }
    return new TriggerResult(run, false);
  }

  /**
   * The run an earlier request with this key made, if this request is that one again: the same
   * route and body (a run made before keys were bound replays whatever the request).
   *
   * @throws IdempotencyKeyReusedException when the key was bound to another route or body
   */
  private static TriggerResult replay(Tx tx, TriggerRequest request, Run earlier) {
    RequestFingerprint now = request.fingerprint();
    var bound = tx.triggerKeys().find(earlier.id());
    if (now != null && bound.isPresent()) {
      String was = bound.get().route();
      if (!was.equals(now.route())) {
        throw new IdempotencyKeyReusedException(
            "the Idempotency-Key '"
                + request.idempotencyKey()
                + "' was used for "
                + was
                + " (run "
                + earlier.id()
                + "), not "
                + now.route()
                + "; send a new key for a new request");
      }
      if (!bound.get().bodyHash().equals(now.bodyHash())) {
        throw new IdempotencyKeyReusedException(
            "the Idempotency-Key '"
                + request.idempotencyKey()
                + "' was used with another body (run "
                + earlier.id()
                + "); send the same body to get that run again, or a new key for a new request");
      }
    }
    return new TriggerResult(earlier, true);
  }

  private ObjectNode manualTrigger(TriggerRequest request) {
    ObjectNode trigger = Json.object();
    trigger.put("type", "manual");
    trigger.put("source", request.source());
    trigger.put("at", Timestamps.format(clock.instant()));
    trigger.putNull("event");
    trigger.putNull("schedule");
    return trigger;
  }

  /**
   * Creates a run of a definition revision in the caller's transaction, with its audit event, and
   * plans its first tasks (see {@link NewRun} for what it is made from).
   */
  public Run create(Tx tx, NewRun created) {
    DefinitionRevision definition = created.definition();
    ObjectNode trigger = created.trigger();
    String principal = created.principal();
    String initiatedBy = created.initiatedBy();
    String parentRun = created.parentRun();
    String parentTask = created.parentTask();
    String rerunOf = created.rerunOf();
    boolean isAction = definition.kind().equals("action");
    JsonNode plan = isAction ? null : plan(tx, definition);
    boolean waiting = !isAction && atConcurrencyLimit(tx, definition);
    Run run =
        new Run(
            Ids.run(),
            definition.project(),
            isAction ? null : definition.name(),
            isAction ? definition.name() : null,
            definition.revision(),
            definition.definitionHash(),
            engineVersion,
            RunStatus.PENDING,
            trigger.path("type").asText("manual"),
            trigger,
            principal,
            initiatedBy,
            created.labels(),
            parentRun,
            parentTask,
            created.parameters(),
            isAction ? 0 : eventSubjects(definition, trigger),
            0,
            isAction ? null : reviewOf(definition),
            null,
            null,
            null,
            null,
            rerunOf,
            created.idempotencyKey(),
            plan,
            waiting,
            clock.instant(),
            null,
            null,
            0);
    tx.runs().insert(run);
    ObjectNode details =
        Json.object()
            .put(isAction ? "action" : "workflow", definition.name())
            .put("revision", definition.revision())
            .put("definitionHash", definition.definitionHash())
            .put("trigger", run.triggerType())
            .put("source", trigger.path("source").asText(null));
    if (!initiatedBy.equals(principal)) {
      details.put("initiatedBy", initiatedBy);
    }
    if (parentRun != null) {
      details.put("parentRun", parentRun).put("parentTask", parentTask);
    }
    if (rerunOf != null) {
      details.put("rerunOf", rerunOf);
    }
    if (waiting) {
      details.put(
          "waiting",
          "the workflow's concurrency limit is reached; the run starts when a slot frees");
    }
    audit
        .event("run.created", principal)
        .project(run.project())
        .run(run.id())
        .details(details)
        .append(tx);
    return advancer.advanceNew(tx, run);
  }

  /**
   * The subjects a new run counts at once: a run an event (or a webhook) starts acts on that event,
   * its one subject, whose trigger condition held; unless its steps fan out over subjects of their
   * own, which are counted as they are planned.
   */
  private int eventSubjects(DefinitionRevision workflow, ObjectNode trigger) {
    String type = trigger.path("type").asText();
    if (!type.equals("event") && !type.equals("webhook")) {
      return 0;
    }
    boolean fansOut =
        definitions.workflow(workflow).steps().stream().anyMatch(s -> s.forEach() != null);
    return fansOut ? 0 : 1;
  }

  /** Whether a new run of this workflow must wait for a slot under its concurrency limit. */
  private boolean atConcurrencyLimit(Tx tx, DefinitionRevision workflow) {
    Integer limit = definitions.workflow(workflow).concurrencyLimit();
    if (limit == null) {
      return false;
    }
    // Counted under the workflow's admission lock: two nodes starting runs at once count in turn.
    tx.lockAdmission(workflow.project(), workflow.name());
    return tx.runs().countAdmitted(workflow.project(), workflow.name()) >= limit;
  }

  /**
   * What happens in the transaction in which a run ends: its parent's task ends with it, and the
   * oldest run of its workflow waiting for a concurrency slot starts.
   */
  public void runEnded(Tx tx, Run run) {
    childRuns.ended(tx, run);
    if (run.workflow() == null) {
      return;
    }
    if (definitions.workflow(run.project(), run.workflow(), run.revision()).concurrencyLimit()
        != null) {
      // A run another node is starting now is counted, or seen waiting, in turn (see above).
      tx.lockAdmission(run.project(), run.workflow());
    }
    tx.runs()
        .oldestWaiting(run.project(), run.workflow())
        .ifPresent(
            next -> {
              Run admitted = changes.save(tx, next.with(c -> c.waiting = false));
              audit
                  .event("run.admitted", Principals.ENGINE)
                  .project(next.project())
                  .run(next.id())
                  .details(Json.object().put("after", run.id()))
                  .append(tx);
              advancer.advance(tx, admitted);
            });
  }

  private String reviewOf(DefinitionRevision workflow) {
    return "required".equals(definitions.workflow(workflow).review())
        ? StateChanges.REVIEW_WAITS_FOR_END
        : null;
  }

  /**
   * Pins what every step of a workflow runs: the action revision (by name: the latest now; by
   * revision; by hash) or the child workflow's latest revision.
   */
  private JsonNode plan(Tx tx, DefinitionRevision workflow) {
    WorkflowDefinition w = definitions.workflow(workflow);
    ObjectNode plan = Json.object();
    ObjectNode steps = plan.putObject("steps");
    for (WorkflowStep step : w.steps()) {
      StepTarget t = step.uses();
      String kind = t.isWorkflow() ? "workflow" : "action";
      DefinitionRevision target;
      if (t.hash() != null) {
        target = tx.definitions().byHash(workflow.project(), kind, t.hash()).orElse(null);
      } else if (t.revision() != null) {
        target =
            tx.definitions()
                .revision(workflow.project(), kind, t.name(), t.revision())
                .orElse(null);
      } else {
        target =
            tx.definitions()
                .latest(workflow.project(), kind, t.name())
                .filter(d -> d.archivedAt() == null)
                .orElse(null);
      }
      if (target == null) {
        throw new StateConflictException(
            "step " + step.id() + " uses " + t + ", which no longer exists (or is archived)");
      }
      steps
          .putObject(step.id())
          .put("kind", kind)
          .put("name", target.name())
          .put("revision", target.revision())
          .put("hash", target.definitionHash());
    }
    return plan;
  }

  /**
   * Cancels a run: tasks not started are skipped (run-cancelled), tasks in flight finish. With
   * {@code abort}, in-flight attempts are also terminated (see {@link RunCancellation}).
   *
   * @throws StateConflictException when the run is already terminal
   */
  public Run cancel(
      String project, String runId, Principal principal, String reason, boolean abort) {
    return cancellation.cancel(project, runId, principal, reason, abort);
  }

  /** Connects composition (the child runs a workflow step starts). */
  public void connect(ChildRuns childRuns) {
    this.childRuns = childRuns;
  }

  /** The cause recorded on an attempt an abort ends. */
  public static String abortCause(String by, String reason) {
    return RunCancellation.abortCause(by, reason);
  }

  /** The run, if the project holds it. */
  public static Run findRun(Tx tx, String project, String runId) {
    return tx.runs()
        .find(runId)
        .filter(r -> r.project().equals(project))
        .orElseThrow(() -> new NotFoundException("no run " + runId));
  }

  private static JsonNode labels(JsonNode labels) {
    if (labels == null || labels.isNull()) {
      return Json.object();
    }
    if (!labels.isObject()) {
      throw new InvalidInputException("labels", "labels must be an object of strings");
    }
    List<FieldError> errors = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) labels::fields) {
      if (!e.getValue().isTextual() && !e.getValue().isNumber() && !e.getValue().isBoolean()) {
        errors.add(new FieldError("labels." + e.getKey(), "a label value must be a string"));
      }
      if (e.getKey().length() > 128 || e.getKey().isEmpty()) {
        errors.add(new FieldError("labels." + e.getKey(), "a label key has 1 to 128 characters"));
      }
    }
    if (!errors.isEmpty()) {
      throw new InvalidInputException("invalid labels", errors);
    }
    ObjectNode normalized = Json.object();
    labels.fields().forEachRemaining(e -> normalized.put(e.getKey(), e.getValue().asText()));
    return normalized;
  }
}
