package dev.runledger.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runledger.audit.AuditLog;
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
 * the same run, which re-opens) and rerun (a new run with the same parameters, pinned to the same
 * definition hash unless told otherwise).
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
   * @throws StateConflictException when there is nothing to retry, or a deterministic failure is
   *     among them and {@code force} is false (the message gives their causes)
   */
  public Run retry(
      String project, String runId, Principal principal, List<String> names, boolean force) {
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
            changes.moveTask(
                tx,
                current,
                task,
                TaskStatus.QUEUED,
                t -> t.with(c -> c.completedAt = null),
                principal.name());
            tx.jobs().reopen(job.id(), now);
            audit
                .event("task.retry-requested", principal.name())
                .project(run.project())
                .run(run.id())
                .task(task.name())
                .details(
                    Json.object().put("force", force).put("idempotencyKey", task.idempotencyKey()))
                .append(tx);
          }
          reopenSkippedDependents(tx, current, tasks, principal.name());
          tx.afterCommit(wakeDispatcher);
          return advancer.advance(tx, tx.runs().find(run.id()).orElseThrow());
        });
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
                  revision,
                  parameters,
                  original.labels(),
                  trigger,
                  principal.name(),
                  // The rerun repeats what the original's chain began: its origin comes along.
                  original.initiatedBy(),
                  null,
                  null,
                  null,
                  original.id());
          return new TriggerResult(run, false);
        });
  }
}
