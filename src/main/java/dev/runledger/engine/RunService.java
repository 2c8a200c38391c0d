package dev.runledger.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runledger.audit.AuditLog;
import dev.runledger.model.DefinitionRevision;
import dev.runledger.model.FieldError;
import dev.runledger.model.Ids;
import dev.runledger.model.InvalidInputException;
import dev.runledger.model.Job;
import dev.runledger.model.Json;
import dev.runledger.model.Principal;
import dev.runledger.model.Run;
import dev.runledger.model.RunStatus;
import dev.runledger.model.SkipReason;
import dev.runledger.model.Task;
import dev.runledger.model.TaskStatus;
import dev.runledger.store.Store;
import dev.runledger.store.Tx;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/** Starts runs and takes the decisions people make about them: cancel and abort. */
public final class RunService {
  private static final int TASK_PAGE = 500;

  private final Store store;
  private final DefinitionService definitions;
  private final RunAdvancer advancer;
  private final StateChanges changes;
  private final AuditLog audit;
  private final Clock clock;
  private final String engineVersion;
  private final BiConsumer<String, String> abortLocally;

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
    this.abortLocally = abortLocally;
  }

  /**
   * Starts a one-off run of the latest revision of an action. Parameters are validated against its
   * inputs schema (defaults applied) before anything is written.
   */
  public TriggerResult triggerAction(TriggerRequest request) {
    DefinitionRevision action =
        store
            .read(tx -> tx.definitions().latest(request.project(), "action", request.name()))
            .filter(d -> d.archivedAt() == null)
            .orElseThrow(() -> new NotFoundException("no action named " + request.name()));
    JsonNode parameters = definitions.applyInputs(action, request.parameters());
    JsonNode labels = labels(request.labels());
    return store.writeAndWait(tx -> start(tx, request, action, parameters, labels));
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
        return new TriggerResult(earlier.get(), true);
      }
    }
    Instant now = clock.instant();
    ObjectNode trigger = Json.object();
    trigger.put("type", "manual");
    trigger.put("source", request.source());
    trigger.put("at", DateTimeFormatter.ISO_INSTANT.format(now));
    trigger.putNull("event");
    trigger.putNull("schedule");
    boolean isAction = definition.kind().equals("action");
    Run run =
        new Run(
            Ids.run(),
            request.project(),
            isAction ? null : definition.name(),
            isAction ? definition.name() : null,
            definition.revision(),
            definition.definitionHash(),
            engineVersion,
            RunStatus.PENDING,
            "manual",
            trigger,
            principal,
            labels,
            null,
            null,
            parameters,
            0,
            0,
            null,
            null,
            null,
            null,
            null,
            null,
            request.idempotencyKey(),
            now,
            null,
            null,
            0);
    tx.runs().insert(run);
    audit
        .event("run.created", principal)
        .project(run.project())
        .run(run.id())
        .details(
            Json.object()
                .put(isAction ? "action" : "workflow", definition.name())
                .put("revision", definition.revision())
                .put("definitionHash", definition.definitionHash())
                .put("trigger", "manual")
                .put("source", request.source()))
        .append(tx);
    return new TriggerResult(advancer.advance(tx, run), false);
  }

  /**
   * Cancels a run: tasks not started are skipped (run-cancelled), tasks in flight finish. With
   * {@code abort}, in-flight attempts are also terminated.
   *
   * @throws StateConflictException when the run is already terminal
   */
  public Run cancel(
      String project, String runId, Principal principal, String reason, boolean abort) {
    // A refusal is returned from the unit of work and thrown after it, never thrown inside it: a
    // unit that throws must not take the other units committed with it (group commit) down.
    Object outcome =
        store.writeAndWait(
            tx -> {
              Run run = tx.runs().find(runId).filter(r -> r.project().equals(project)).orElse(null);
              if (run == null) {
                return new NotFoundException("no run " + runId);
              }
              if (run.status().isTerminal()) {
                return new StateConflictException(
                    "run " + runId + " is " + run.status().wire() + " already");
              }
              if (run.cancel() != null && !(abort && !run.cancel().path("abort").asBoolean())) {
                return run;
              }
              Instant now = clock.instant();
              ObjectNode cancel = Json.object();
              cancel.put("requestedAt", DateTimeFormatter.ISO_INSTANT.format(now));
              cancel.put("by", principal.name());
              cancel.put("reason", reason);
              cancel.put("abort", abort);
              Run marked = changes.save(tx, run.with(c -> c.cancel = cancel));
              audit
                  .event(abort ? "run.abort-requested" : "run.cancel-requested", principal.name())
                  .project(run.project())
                  .run(run.id())
                  .details(Json.object().put("reason", reason))
                  .append(tx);
              skipNotStarted(tx, marked, principal.name(), now);
              if (abort) {
                markAborts(tx, marked, principal.name(), reason, now);
              }
              return advancer.advance(tx, marked);
            });
    if (outcome instanceof RuntimeException refusal) {
      throw refusal;
    }
    if (abort) {
      abortLocally.accept(runId, abortCause(principal.name(), reason));
    }
    return (Run) outcome;
  }

  /** The cause recorded on an aborted attempt. */
  public static String abortCause(String by, String reason) {
    return "aborted by " + by + (reason == null || reason.isBlank() ? "" : ": " + reason);
  }

  private void skipNotStarted(Tx tx, Run run, String actor, Instant now) {
    List<TaskStatus> notStarted =
        List.of(TaskStatus.PENDING, TaskStatus.QUEUED, TaskStatus.AWAITING_APPROVAL);
    while (true) {
      List<Task> page = tx.tasks().list(run.id(), notStarted, null, 0, TASK_PAGE);
      if (page.isEmpty()) {
        return;
      }
      for (Task task : page) {
        changes.moveTask(
            tx,
            run,
            task,
            TaskStatus.SKIPPED,
            t ->
                t.with(
                    c -> {
                      c.skipReason = SkipReason.RUN_CANCELLED;
                      c.completedAt = now;
                    }),
            actor);
        tx.jobs().forTask(run.id(), task.name()).ifPresent(j -> tx.jobs().finish(j.id(), now));
      }
    }
  }

  private void markAborts(Tx tx, Run run, String actor, String reason, Instant now) {
    for (Job job : tx.jobs().requestAbort(run.id(), now)) {
      tx.tasks()
          .find(run.id(), job.taskName())
          .ifPresent(
              task -> {
                ObjectNode abort = Json.object();
                abort.put("requestedAt", DateTimeFormatter.ISO_INSTANT.format(now));
                abort.put("by", actor);
                abort.put("reason", reason);
                ArrayNode attempts = abort.putArray("attempts");
                attempts.add(job.attempt());
                tx.tasks().update(task.with(c -> c.abort = abort));
              });
    }
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
