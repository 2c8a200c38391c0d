package dev.runledger.engine.trigger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runledger.audit.AuditLog;
import dev.runledger.definition.FieldPath;
import dev.runledger.engine.Principals;
import dev.runledger.engine.StateConflictException;
import dev.runledger.engine.catalog.DefinitionService;
import dev.runledger.engine.run.NewRun;
import dev.runledger.engine.run.RunService;
import dev.runledger.model.DefinitionRevision;
import dev.runledger.model.Ids;
import dev.runledger.model.InvalidInputException;
import dev.runledger.model.Json;
import dev.runledger.model.Run;
import dev.runledger.model.Timestamps;
import dev.runledger.model.WorkflowDefinition;
import dev.runledger.store.Store;
import dev.runledger.store.TriggerRepository.LiveWorkflow;
import dev.runledger.store.TriggerRepository.StoredEvent;
import dev.runledger.store.Tx;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes events to workflows: every live workflow of the project whose {@code on.events} entry
 * matches the type (and source, if it names one) and whose {@code if} holds starts a run, in the
 * transaction that records the event, with the parameters that entry renders from the event. A
 * workflow whose parameters do not render or do not fit its inputs starts nothing and gets an
 * {@code event.start-failed} audit event; the others start all the same. An event is kept under
 * (project, source, id): the same one again starts nothing and answers with the runs of the first
 * time. Webhooks start their one workflow through the same record.
 */
public final class EventService {
  private static final Logger LOG = LoggerFactory.getLogger(EventService.class);

  private final Store store;
  private final DefinitionService definitions;
  private final RunService runs;
  private final AuditLog audit;
  private final Clock clock;

  public EventService(
      Store store, DefinitionService definitions, RunService runs, AuditLog audit, Clock clock) {
    this.store = store;
    this.definitions = definitions;
    this.runs = runs;
    this.audit = audit;
    this.clock = clock;
  }

  /**
   * What posting an event did.
   *
   * @param duplicate true when the event was received before: nothing started now
   */
  public record Published(String eventId, List<String> runs, boolean duplicate) {}

  /** Records the event and starts every workflow it triggers, as {@code principal}. */
  public Published publish(String project, CloudEvent event, String principal) {
    check(event);
    return store.writeAndWait(tx -> publish(tx, project, event, principal, principal));
  }

  /**
   * An event a run emits ({@code builtin: emit}): posted by the engine, and the runs it starts
   * carry the emitting run's {@link Run#initiatedBy() origin}, so that whoever began the chain is
   * still known (and still may not approve what it leads to).
   */
  Published emit(String runId, CloudEvent event) {
    check(event);
    return store.writeAndWait(
        tx -> {
          Run emitter =
              tx.runs().find(runId).orElseThrow(() -> new IllegalStateException("no run " + runId));
          return publish(tx, emitter.project(), event, Principals.ENGINE, emitter.initiatedBy());
        });
  }

  /**
   * The same, in the caller's transaction.
   *
   * @param origin who is at the root of the chain that posts the event (the runs' {@code
   *     initiatedBy})
   */
  Published publish(Tx tx, String project, CloudEvent event, String principal, String origin) {
    String id = Ids.event();
    Instant now = clock.instant();
    if (!tx.triggers()
        .insertEvent(
            project,
            event.source(),
            event.id(),
            id,
            event.type(),
            event.toJson(),
            now,
            principal)) {
      StoredEvent earlier =
          tx.triggers()
              .findEvent(project, event.source(), event.id())
              .orElseThrow(() -> new IllegalStateException("the event vanished"));
      List<String> ids = new ArrayList<>();
      earlier.runs().forEach(r -> ids.add(r.asText()));
      return new Published(earlier.id(), ids, true);
    }
    List<String> started = new ArrayList<>();
    for (LiveWorkflow live : tx.triggers().liveWorkflows(project)) {
      DefinitionRevision revision =
          tx.definitions()
              .revision(project, "workflow", live.name(), live.revision())
              .orElseThrow();
      Entry entry = matchingEntry(definitions.workflow(revision), event);
      if (entry == null) {
        continue;
      }
      Run run = start(tx, revision, event, entry, "event", principal, origin, id);
      if (run != null) {
        started.add(run.id());
      }
    }
    finish(tx, project, id, event, principal, started);
    return new Published(id, started, false);
  }

  /**
   * A webhook call: starts the workflow's latest revision with the body as {@code event.data},
   * trigger type {@code webhook}.
   */
  public Published hook(String project, String workflow, JsonNode data, String principal) {
    return store.writeAndWait(
        tx -> {
          DefinitionRevision revision = DefinitionService.liveWorkflow(tx, project, workflow);
          String id = Ids.event();
          Instant now = clock.instant();
          CloudEvent event =
              new CloudEvent(
                  id,
                  "/hooks/" + workflow,
                  "runledger.webhook",
                  null,
                  Timestamps.format(now),
                  data);
          tx.triggers()
              .insertEvent(
                  project, event.source(), id, id, event.type(), event.toJson(), now, principal);
          Run run = start(tx, revision, event, null, "webhook", principal, principal, id);
          List<String> started = run == null ? List.of() : List.of(run.id());
          finish(tx, project, id, event, principal, started);
          return new Published(id, started, false);
        });
  }

  private void finish(
      Tx tx, String project, String id, CloudEvent event, String principal, List<String> started) {
    ArrayNode ids = Json.MAPPER.createArrayNode();
    started.forEach(ids::add);
    tx.triggers().eventStarted(id, ids);
    audit
        .event("event.received", principal)
        .project(project)
        .target("event/" + id)
        .details(
            Json.object()
                .put("eventId", id)
                .put("source", event.source())
                .put("id", event.id())
                .put("type", event.type())
                .set("runs", ids))
        .append(tx);
  }

  /** An entry of an event trigger and its field path ({@code on.events[1]}). */
  private record Entry(JsonNode node, String path) {}

  /** The first of the workflow's event triggers that takes this event, or null. */
  private Entry matchingEntry(WorkflowDefinition workflow, CloudEvent event) {
    JsonNode triggers = workflow.on() == null ? null : workflow.on().get("events");
    if (triggers == null || !triggers.isArray()) {
      return null;
    }
    for (int i = 0; i < triggers.size(); i++) {
      JsonNode t = triggers.get(i);
      if (!t.path("type").asText().equals(event.type())) {
        continue;
      }
      if (t.hasNonNull("source") && !t.get("source").asText().equals(event.source())) {
        continue;
      }
      Entry entry = new Entry(t, FieldPath.index("on.events", i));
      if (!t.hasNonNull("if")) {
        return entry;
      }
      try {
        if (definitions.layer().test(t.get("if").asText(), Map.of("event", event.toJson()))) {
          return entry;
        }
      } catch (RuntimeException e) {
        LOG.info(
            "workflow {}: the event trigger's if failed on event {}: {}",
            workflow.name(),
            event.id(),
            e.getMessage());
      }
    }
    return null;
  }

  /**
   * Starts one run for the event; null (and an audit event) when its parameters do not fit.
   *
   * @param entry the event trigger that took the event, or null (a webhook: no parameters)
   */
  private Run start(
      Tx tx,
      DefinitionRevision revision,
      CloudEvent event,
      Entry entry,
      String type,
      String principal,
      String origin,
      String eventId) {
    JsonNode parameters = parameters(tx, revision, event, entry, principal, eventId);
    if (parameters == null) {
      return null;
    }
    ObjectNode trigger = Json.object();
    trigger.put("type", type);
    trigger.put("source", event.source());
    trigger.put("at", Timestamps.format(clock.instant()));
    trigger.set("event", event.toJson());
    trigger.putNull("schedule");
    try {
      return runs.create(
          tx,
          NewRun.of(revision, parameters, Json.object(), trigger, principal)
              .withInitiatedBy(origin));
    } catch (StateConflictException e) {
      startFailed(tx, revision, principal, eventId, e.getMessage());
      return null;
    }
  }

  /**
   * The run's parameters: the entry's {@code parameters} rendered over the event (none without
   * them), with the inputs' defaults applied and checked against the inputs schema; null, with an
   * {@code event.start-failed} naming the cause, when they cannot be made. Only {@code event} (and
   * {@code now}) are bound: no secrets, as the values are stored with the run.
   */
  private JsonNode parameters(
      Tx tx,
      DefinitionRevision revision,
      CloudEvent event,
      Entry entry,
      String principal,
      String eventId) {
    JsonNode template = entry == null ? null : entry.node().get("parameters");
    ObjectNode rendered = Json.object();
    if (template instanceof ObjectNode object) {
      try {
        rendered =
            definitions
                .layer()
                .renderFields(
                    object,
                    Map.of("event", event.toJson()),
                    FieldPath.key(entry.path(), "parameters"));
      } catch (RuntimeException e) {
        startFailed(
            tx,
            revision,
            principal,
            eventId,
            "the event trigger's parameters did not render: " + e.getMessage());
        return null;
      }
    }
    try {
      return definitions.applyInputs(revision, rendered);
    } catch (InvalidInputException e) {
      String problems =
          e.errors().stream()
              .map(f -> f.field() + ": " + f.message())
              .collect(Collectors.joining("; "));
      startFailed(
          tx,
          revision,
          principal,
          eventId,
          (template == null
                  ? "the workflow's inputs need parameters: "
                  : "the workflow's inputs refuse the event trigger's parameters: ")
              + problems);
      return null;
    }
  }

  private void startFailed(
      Tx tx, DefinitionRevision revision, String principal, String eventId, String cause) {
    audit
        .event("event.start-failed", principal)
        .project(revision.project())
        .target("workflow/" + revision.name())
        .details(Json.object().put("eventId", eventId).put("cause", cause))
        .append(tx);
  }

  private static void check(CloudEvent event) {
    List<dev.runledger.model.FieldError> errors = new ArrayList<>();
    if (blank(event.id())) {
      errors.add(new dev.runledger.model.FieldError("id", "an event needs an id"));
    }
    if (blank(event.source())) {
      errors.add(new dev.runledger.model.FieldError("source", "an event needs a source"));
    }
    if (blank(event.type())) {
      errors.add(new dev.runledger.model.FieldError("type", "an event needs a type"));
    }
    if (!errors.isEmpty()) {
      throw new InvalidInputException("invalid event", errors);
    }
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
