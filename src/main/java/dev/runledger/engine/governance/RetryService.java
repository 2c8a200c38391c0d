package dev.runledger.engine.governance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runledger.audit.AuditLog;
import dev.runledger.engine.NotFoundException;
import dev.runledger.engine.StateConflictException;
import dev.runledger.engine.catalog.DefinitionService;
import dev.runledger.engine.run.NewRun;
import dev.runledger.engine.run.RunAdvancer;
import dev.runledger.engine.run.RunBlueprint;
import dev.runledger.engine.run.RunService;
import dev.runledger.engine.run.StateChanges;
import dev.runledger.engine.run.StepSpec;
import dev.runledger.engine.run.TriggerResult;
import dev.runledger.model.DefinitionRevision;
import dev.runledger.model.FailureKind;
import dev.runledger.model.InvalidInputException;
import dev.runledger.model.Job;
import dev.runledger.model.Json;
import dev.runledger.model.Principal;
import dev.runledger.model.Run;
import dev.runledger.model.RunStatus;
import dev.runledger.model.Task;
import dev.runledger.model.TaskStatus;
import dev.runledger.model.Timestamps;
import dev.runledger.store.RunStep;
import dev.runledger.store.Store;
import dev.runledger.store.Tx;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Manual retry (failed tasks get a new attempt with the same idempotency key and parameters, inside
 * the same run, which re-opens; or under a new key when the operator asks for one) and rerun (a new
 * run with the same parameters, pinned to the same definition hash unless told otherwise).
 */
public final class RetryService {
  private final Store store;
  private final RunService runs;
  private final DefinitionService definitions;
  private final StateChanges changes;
  private final RunAdvancer advancer;
  private final AuditLog audit;
  private final Clock clock;
  private final Runnable wakeDispatcher;

  public RetryService(
      Store store,
      RunService runs,
      DefinitionService definitions,
      StateChanges changes,
      RunAdvancer advancer,
      AuditLog audit,
      Clock clock,
      Runnable wakeDispatcher) {
    this.store = store;
    this.runs = runs;
    this.definitions = definitions;
    this.changes = changes;
    this.advancer = advancer;
    this.audit = audit;
    this.clock = clock;
    this.wakeDispatcher = wakeDispatcher;
  }

  /**
   * Retries failed tasks of a run (all of them, or those named).
   *
   * @param newKey run each under a new idempotency key, {@code <runId>/<taskName>/retry-<n>}
   *     ({@code n} the attempt it starts), audited with the key it replaces
   * @throws StateConflictException when there is nothing to retry, a deterministic failure is among
   *     them and {@code force} is false (the message gives their causes), or a task's key holds
   *     another action's effect and {@code newKey} is false (it would fail again)
   */
  public Run retry(
      String project,
      String runId,
      Principal principal,
      List<String> names,
      boolean force,
      boolean newKey) {
    return store.writeAndWait(
        tx -> {
          Run run = RunService.findRun(tx, project, runId);
          if (run.status() != RunStatus.FAILED
              && run.status() != RunStatus.COMPLETED_WITH_FAILURES
              && run.status() != RunStatus.RUNNING) {
            throw new StateConflictException(
                "run "
                    + runId
                    + " is "
                    + run.status().wire()
                    + "; only failed tasks can be retried");
          }
          List<Task> tasks = chosen(tx, run, names);
          if (!newKey) {
            refuseForeignKeys(tx, run, tasks);
          }
          List<String> deterministic =
              tasks.stream()
                  .filter(
                      t -> t.failure() != null && t.failure().kind() == FailureKind.DETERMINISTIC)
                  .map(t -> t.name() + ": " + t.failure().cause())
                  .toList();
          if (!deterministic.isEmpty() && !force) {
            throw new StateConflictException(
                "deterministic failures would fail again; retry with force: true to try anyway: "
                    + String.join("; ", deterministic));
          }
          Instant now = clock.instant();
          Run current = run;
          if (run.status().isTerminal()) {
            current = changes.moveRun(tx, run, RunStatus.RUNNING, principal.name());
          }
          for (Task task : tasks) {
            Job job =
                tx.jobs()
                    .forTask(run.id(), task.name())
                    .orElseThrow(
                        () ->
                            new StateConflictException(
                                "task "
                                    + task.name()
                                    + " failed before it ran ("
                                    + task.failure().cause()
                                    + "); fix the definition and rerun instead"));
            String key =
                newKey
                    ? run.id() + "/" + task.name() + "/retry-" + (job.attempt() + 1)
                    : task.idempotencyKey();
            changes.moveTask(
                tx,
                current,
                task,
                TaskStatus.QUEUED,
                t ->
                    t.with(
                        c -> {
                          c.completedAt = null;
                          c.idempotencyKey = key;
                        }),
                principal.name());
            tx.jobs().reopen(job.id(), now);
            ObjectNode details =
                Json.object().put("force", force).put("newKey", newKey).put("idempotencyKey", key);
            if (newKey) {
              tx.tasks().changeKey(run.id(), task.name(), key);
              details.put("previousKey", task.idempotencyKey());
              audit
                  .event("task.key-changed", principal.name())
                  .project(run.project())
                  .run(run.id())
                  .task(task.name())
                  .details(
                      Json.object()
                          .put("from", task.idempotencyKey())
                          .put("to", key)
                          .put("reason", "manual retry with a new key"))
                  .append(tx);
            }
            audit
                .event("task.retry-requested", principal.name())
                .project(run.project())
                .run(run.id())
                .task(task.name())
                .details(details)
                .append(tx);
          }
          reopenSkippedDependents(tx, current, tasks, principal.name());
          tx.afterCommit(wakeDispatcher);
          return advancer.advance(tx, tx.runs().find(run.id()).orElseThrow());
        });
  }

  /**
   * Refuses to retry, under the same key, tasks whose key holds another action's effect: the next
   * attempt would be refused again for the same reason.
   */
  private static void refuseForeignKeys(Tx tx, Run run, List<Task> tasks) {
    List<String> foreign = new ArrayList<>();
    for (Task task : tasks) {
      tx.effects()
          .find(run.project(), task.idempotencyKey())
          .filter(e -> !e.sameEffectAs(task))
          .ifPresent(
              e ->
                  foreign.add(
                      task.name() + ": key '" + task.idempotencyKey() + "' holds " + e.describe()));
    }
    if (!foreign.isEmpty()) {
      throw new StateConflictException(
          "the same key would be refused again; retry with force: true and newKey: true to run"
              + " under a new key: "
              + String.join("; ", foreign));
    }
  }

  private static List<Task> chosen(Tx tx, Run run, List<String> names) {
    List<Task> failed =
        tx.tasks().list(run.id(), List.of(TaskStatus.FAILED), null, 0, Integer.MAX_VALUE);
    if (names == null || names.isEmpty()) {
      if (failed.isEmpty()) {
        throw new StateConflictException("run " + run.id() + " has no failed task to retry");
      }
      return failed;
    }
    Set<String> failedNames = failed.stream().map(Task::name).collect(Collectors.toSet());
    List<Task> chosen = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      if (!failedNames.contains(name)) {
        throw new InvalidInputException(
            "tasks[" + i + "]", "run " + run.id() + " has no failed task named " + name);
      }
      failed.stream().filter(t -> t.name().equals(name)).findFirst().ifPresent(chosen::add);
    }
    return chosen;
  }

  /**
   * Steps that were skipped as a whole because a retried step failed are planned again once it
   * succeeds: their placeholder tasks go (the audit trail keeps them) and the planner takes over.
   */
  private void reopenSkippedDependents(Tx tx, Run run, List<Task> retried, String actor) {
    RunBlueprint blueprint = advancer.taskPlanner().blueprint(run);
    Set<String> reopened = new HashSet<>();
    retried.forEach(t -> reopened.add(t.step()));
    boolean grew = true;
    List<RunStep> steps = tx.runSteps().forRun(run.id());
    while (grew) {
      grew = false;
      for (StepSpec spec : blueprint.steps()) {
        RunStep state =
            steps.stream().filter(s -> s.step().equals(spec.id())).findFirst().orElse(null);
        if (state != null
            && state.upstreamSkipped()
            && !reopened.contains(spec.id())
            && spec.needs().stream().anyMatch(reopened::contains)) {
          reopened.add(spec.id());
          tx.tasks().deletePlaceholder(run.id(), spec.id());
          tx.runSteps().delete(run.id(), spec.id());
          audit
              .event("step.reopened", actor)
              .project(run.project())
              .run(run.id())
              .task(spec.id())
              .details(Json.object().put("reason", "an upstream task is retried"))
              .append(tx);
          grew = true;
        }
      }
    }
  }

  /**
   * Starts a new, independent run with the same parameters: the same definition revision when
   * {@code pin}, else the latest.
   */
  public TriggerResult rerun(String project, String runId, Principal principal, boolean pin) {
    Run original = store.read(tx -> RunService.findRun(tx, project, runId));
    String kind = original.definitionKind();
    String name = original.definitionName();
    DefinitionRevision revision =
        store
            .read(
                tx ->
                    pin
                        ? tx.definitions().revision(project, kind, name, original.revision())
                        : tx.definitions()
                            .latest(project, kind, name)
                            .filter(d -> d.archivedAt() == null))
            .orElseThrow(
                () -> new NotFoundException("no " + kind + " named " + name + " to rerun"));
    JsonNode parameters =
        pin ? original.parameters() : definitions.applyInputs(revision, original.parameters());
    return store.writeAndWait(
        tx -> {
          ObjectNode trigger = Json.object();
          trigger.put("type", "rerun");
          trigger.put("source", "api");
          trigger.put("at", Timestamps.format(clock.instant()));
          trigger.set(
              "event",
              original.trigger().path("event").isObject() ? original.trigger().get("event") : null);
          trigger.putNull("schedule");
          trigger.put("rerunOf", original.id());
          trigger.put("pinned", pin);
          Run run =
              runs.create(
                  tx,
                  NewRun.of(revision, parameters, original.labels(), trigger, principal.name())
                      .withInitiatedBy(original.initiatedBy())
                      .withRerunOf(original.id()));
          return new TriggerResult(run, false);
        });
  }
}
