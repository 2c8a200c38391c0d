package dev.runledger.engine.trigger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runledger.audit.AuditLog;
import dev.runledger.engine.NotFoundException;
import dev.runledger.engine.Principals;
import dev.runledger.engine.catalog.DefinitionService;
import dev.runledger.engine.run.NewRun;
import dev.runledger.engine.run.RunService;
import dev.runledger.model.DefinitionRevision;
import dev.runledger.model.InvalidInputException;
import dev.runledger.model.Json;
import dev.runledger.model.Run;
import dev.runledger.model.Timestamps;
import dev.runledger.model.WorkflowDefinition;
import dev.runledger.store.Store;
import dev.runledger.store.TriggerRepository.LiveWorkflow;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires the {@code on.schedule} entries of live workflows. Driven by {@link #tick()} (every second
 * from the wiring, by hand in tests) and the injected clock; nothing waits on a timer.
 *
 * <p>Each fire is recorded under the key (project, workflow, schedule position, fire time) in the
 * transaction that creates its run, so several nodes on one PostgreSQL database fire it once. Every
 * tick reads the live workflows, so a changed or archived workflow counts at the next tick, and
 * each fire checks the workflow again in its transaction.
 *
 * <p>Missed fires: on this node's first tick, fires due more than {@link #STARTUP_GRACE} before it
 * (since the last recorded fire of the schedule, or since the revision was saved) were missed while
 * no server ran; {@code missed: skip} (the default) drops them, {@code missed: run-once} starts one
 * run for the latest of them. Later, every fire due since the previous tick starts a run (at most
 * {@link #MAX_FIRES_PER_TICK} a tick, after a jump of the clock).
 */
public final class Scheduler {
  private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);

  /** Fires this close before a node's start are on time, not missed. */
  static final Duration STARTUP_GRACE = Duration.ofMinutes(1);

  static final int MAX_FIRES_PER_TICK = 100;

  private final Store store;
  private final DefinitionService definitions;
  private final RunService runs;
  private final AuditLog audit;
  private final Clock clock;
  private final Map<String, Tracked> tracked = new HashMap<>();
  private final Map<String, List<Spec>> specsByRevision = new HashMap<>();
  private Instant startedAt;

  public Scheduler(
      Store store, DefinitionService definitions, RunService runs, AuditLog audit, Clock clock) {
    this.store = store;
    this.definitions = definitions;
    this.runs = runs;
    this.audit = audit;
    this.clock = clock;
  }

  /** One {@code on.schedule} entry as written. */
  record Spec(CronSchedule cron, JsonNode parameters, boolean runOnce) {
    String key() {
      return cron.expression() + " " + cron.zone();
    }
  }

  /** What this node knows of a schedule: fires up to {@code cursor} are handled. */
  private static final class Tracked {
    Spec spec;
    Instant cursor;

    Tracked(Spec spec, Instant cursor) {
      this.spec = spec;
      this.cursor = cursor;
    }
  }

  /** Starts the runs of every fire due now; returns how many runs started. */
  public synchronized int tick() {
    Instant now = clock.instant();
    boolean firstTick = startedAt == null;
    if (firstTick) {
      startedAt = now;
    }
    List<LiveWorkflow> live = store.read(tx -> tx.triggers().liveWorkflows());
    Set<String> current = new HashSet<>();
    int started = 0;
    for (LiveWorkflow workflow : live) {
      List<Spec> specs;
      try {
        specs =
            specsByRevision.computeIfAbsent(
                workflow.project() + "\u0000" + workflow.name() + "\u0000" + workflow.revision(),
                k ->
                    specs(
                        definitions.workflow(
                            workflow.project(), workflow.name(), workflow.revision())));
      } catch (RuntimeException e) {
        LOG.warn("cannot read the schedules of workflow {}: {}", workflow.name(), e.getMessage());
        continue;
      }
      for (int i = 0; i < specs.size(); i++) {
        String key = workflow.project() + "\u0000" + workflow.name() + "\u0000" + i;
        current.add(key);
        Spec spec = specs.get(i);
        Tracked t = tracked.get(key);
        if (t == null) {
          Instant cursor = baseline(workflow, i, spec, now, firstTick);
          t = new Tracked(spec, cursor);
          tracked.put(key, t);
          if (firstTick && spec.runOnce()) {
            started += runOnceMissed(workflow, i, spec, cursor);
          }
        } else {
          t.spec = spec;
        }
        List<Instant> due = spec.cron().firesBetween(t.cursor, now, MAX_FIRES_PER_TICK);
        for (Instant fireTime : due) {
          started += fire(workflow, i, spec, fireTime, false) ? 1 : 0;
        }
        t.cursor = due.size() == MAX_FIRES_PER_TICK ? due.get(due.size() - 1) : now;
      }
    }
    tracked.keySet().retainAll(current);
    if (specsByRevision.size() > 4 * live.size() + 100) {
      specsByRevision.clear();
    }
    return started;
  }

  /**
   * Where a schedule seen for the first time starts: after its last recorded fire, or after the
   * revision was saved; on the first tick, no earlier than the start minus the grace (what lies
   * before was missed).
   */
  private Instant baseline(
      LiveWorkflow workflow, int index, Spec spec, Instant now, boolean firstTick) {
    Instant last =
        store
            .read(tx -> tx.triggers().lastFire(workflow.project(), workflow.name(), index))
            .orElse(Instant.MIN);
    Instant from = last.isAfter(workflow.revisedAt()) ? last : workflow.revisedAt();
    if (!firstTick) {
      return from;
    }
    Instant missedUntil = startedAt.minus(STARTUP_GRACE);
    if (!from.isBefore(missedUntil)) {
      return from;
    }
    Optional<Instant> firstMissed = spec.cron().nextAfter(from);
    if (firstMissed.isPresent() && !firstMissed.get().isAfter(missedUntil) && !spec.runOnce()) {
      LOG.info(
          "workflow {}: schedule fires since {} were missed while no server ran (missed: skip)",
          workflow.name(),
          firstMissed.get());
    }
    return missedUntil;
  }

  /** {@code missed: run-once}: one run for the latest fire missed before {@code missedUntil}. */
  private int runOnceMissed(LiveWorkflow workflow, int index, Spec spec, Instant missedUntil) {
    Instant last =
        store
            .read(tx -> tx.triggers().lastFire(workflow.project(), workflow.name(), index))
            .orElse(Instant.MIN);
    Instant from = last.isAfter(workflow.revisedAt()) ? last : workflow.revisedAt();
    return spec.cron()
        .lastBetween(from, missedUntil)
        .map(t -> fire(workflow, index, spec, t, true) ? 1 : 0)
        .orElse(0);
  }

  /** Starts the run of one fire unless it was recorded already; true when this call started it. */
  private boolean fire(
      LiveWorkflow workflow, int index, Spec spec, Instant fireTime, boolean missed) {
    try {
      Run run =
          store.writeAndWait(
              tx -> {
                // The workflow as it is now: archived or its schedule changed means no fire.
                DefinitionRevision revision =
                    tx.definitions()
                        .latest(workflow.project(), "workflow", workflow.name())
                        .filter(d -> d.archivedAt() == null)
                        .orElse(null);
                if (revision == null) {
                  return null;
                }
                List<Spec> now = specs(definitions.workflow(revision));
                if (index >= now.size() || !now.get(index).key().equals(spec.key())) {
                  return null;
                }
                Instant at = clock.instant();
                if (!tx.triggers()
                    .claimFire(
                        workflow.project(),
                        workflow.name(),
                        index,
                        fireTime,
                        revision.revision(),
                        spec.cron().expression(),
                        at,
                        missed)) {
                  return null;
                }
                JsonNode parameters;
                try {
                  parameters = definitions.applyInputs(revision, spec.parameters());
                } catch (InvalidInputException e) {
                  audit
                      .event("schedule.fire-failed", Principals.SCHEDULER)
                      .project(workflow.project())
                      .target("workflow/" + workflow.name())
                      .details(
                          Json.object()
                              .put("fireTime", Timestamps.format(fireTime))
                              .put("cause", "the schedule's parameters: " + e.getMessage()))
                      .append(tx);
                  return null;
                }
                Run created =
                    runs.create(
                        tx,
                        NewRun.of(
                            revision,
                            parameters,
                            Json.object(),
                            trigger(spec, index, fireTime, at, missed),
                            Principals.SCHEDULER));
                tx.triggers()
                    .fireStarted(
                        workflow.project(), workflow.name(), index, fireTime, created.id());
                return created;
              });
      return run != null;
    } catch (RuntimeException e) {
      LOG.warn(
          "workflow {}: the schedule fire at {} started no run: {}",
          workflow.name(),
          fireTime,
          e.getMessage());
      return false;
    }
  }

  /**
   * Fires a workflow's schedule now, for an operator: a run as the schedule would start it (its
   * parameters, trigger type {@code schedule} with the schedule's identity), triggered by the
   * operator, with a {@code schedule.fired} audit event naming them. It is not one of the
   * schedule's fire times, so the fires the scheduler keeps are left as they are.
   *
   * @param index the schedule's position in {@code on.schedule}, from 0
   * @param source {@code api}, {@code cli} or {@code web}
   * @throws NotFoundException without a live workflow of that name or a schedule at that position
   * @throws InvalidInputException when the schedule's parameters do not fit the inputs
   */
  public Run fireNow(String project, String workflow, int index, String principal, String source) {
    return store.writeAndWait(
        tx -> {
          DefinitionRevision revision = DefinitionService.liveWorkflow(tx, project, workflow);
          List<Spec> specs = specs(definitions.workflow(revision));
          if (index < 0 || index >= specs.size()) {
            throw new NotFoundException(
                "workflow "
                    + workflow
                    + (specs.isEmpty()
                        ? " has no schedule"
                        : " has no schedule "
                            + index
                            + " (it has 0 to "
                            + (specs.size() - 1)
                            + ")"));
          }
          Spec spec = specs.get(index);
          JsonNode parameters = definitions.applyInputs(revision, spec.parameters());
          Instant at = clock.instant();
          // Written as a cron time is, in whole seconds.
          Instant fireTime = at.truncatedTo(ChronoUnit.SECONDS);
          ObjectNode trigger = trigger(spec, index, fireTime, at, false);
          trigger.put("source", source);
          ((ObjectNode) trigger.get("schedule")).put("firedBy", principal);
          Run run =
              runs.create(tx, NewRun.of(revision, parameters, Json.object(), trigger, principal));
          audit
              .event("schedule.fired", principal)
              .project(project)
              .run(run.id())
              .target("workflow/" + workflow)
              .details(
                  Json.object()
                      .put("index", index)
                      .put("cron", spec.cron().expression())
                      .put("timezone", spec.cron().zone().getId())
                      .put("runId", run.id()))
              .append(tx);
          return run;
        });
  }

  private static ObjectNode trigger(
      Spec spec, int index, Instant fireTime, Instant at, boolean missed) {
    ObjectNode trigger = Json.object();
    trigger.put("type", "schedule");
    trigger.put("source", "scheduler");
    trigger.put("at", Timestamps.format(at));
    trigger.putNull("event");
    ObjectNode schedule = trigger.putObject("schedule");
    schedule.put("index", index);
    schedule.put("cron", spec.cron().expression());
    schedule.put("timezone", spec.cron().zone().getId());
    schedule.put("fireTime", Timestamps.format(fireTime));
    if (missed) {
      schedule.put("missed", true);
    }
    return trigger;
  }

  /** One schedule as written, with its next fire time (null when it never fires again). */
  public record Upcoming(String cron, String timezone, Instant next) {}

  /** The workflow's schedules, in order, each with its first fire after {@code after}. */
  public static List<Upcoming> upcoming(WorkflowDefinition workflow, Instant after) {
    return specs(workflow).stream()
        .map(
            s ->
                new Upcoming(
                    s.cron().expression(),
                    s.cron().zone().getId(),
                    s.cron().nextAfter(after).orElse(null)))
        .toList();
  }

  /** The workflow's schedules, in order. */
  static List<Spec> specs(WorkflowDefinition workflow) {
    List<Spec> specs = new ArrayList<>();
    JsonNode schedules = workflow.on() == null ? null : workflow.on().get("schedule");
    if (schedules == null || !schedules.isArray()) {
      return specs;
    }
    for (JsonNode s : schedules) {
      ZoneId zone =
          s.hasNonNull("timezone") ? ZoneId.of(s.get("timezone").asText()) : ZoneId.of("UTC");
      specs.add(
          new Spec(
              new CronSchedule(s.get("cron").asText(), zone),
              s.hasNonNull("parameters") ? s.get("parameters") : Json.object(),
              "run-once".equals(s.path("missed").asText("skip"))));
    }
    return specs;
  }
}
