package dev.runledger.engine.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runledger.engine.Principals;
import dev.runledger.engine.catalog.DefinitionService;
import dev.runledger.model.Attempt;
import dev.runledger.model.DefinitionRevision;
import dev.runledger.model.Failure;
import dev.runledger.model.InvalidInputException;
import dev.runledger.model.Job;
import dev.runledger.model.Json;
import dev.runledger.model.Run;
import dev.runledger.model.RunStatus;
import dev.runledger.model.Task;
import dev.runledger.model.TaskStatus;
import dev.runledger.model.Timestamps;
import dev.runledger.store.Effect;
import dev.runledger.store.Tx;
import java.time.Clock;
import java.time.Instant;
import java.util.stream.Collectors;

/**
 * Composition: a step that uses {@code workflow:<name>} starts a child run (its {@code parentRun}
 * and {@code parentTask} set), and the step's task ends as the child run ends.
 */
public final class ChildRuns {
  public static final String PREFIX = "workflow:";

  private final RunService runs;
  private final StateChanges changes;
  private final RunAdvancer advancer;
  private final DefinitionService definitions;
  private final Clock clock;
  private final String host;

  public ChildRuns(
      RunService runs,
      StateChanges changes,
      RunAdvancer advancer,
      DefinitionService definitions,
      Clock clock,
      String host) {
    this.runs = runs;
    this.changes = changes;
    this.advancer = advancer;
    this.definitions = definitions;
    this.clock = clock;
    this.host = host;
  }

  public static boolean isChild(Task task) {
    return task.action().startsWith(PREFIX);
  }

  /**
   * Starts the child run of a claimed task (already moved to running, its attempt recorded); the
   * job is done, since no worker waits for the child.
   */
  public void start(Tx tx, Run parent, Task task, Job job) {
    Instant now = clock.instant();
    tx.jobs().finish(job.id(), now);
    String name = task.action().substring(PREFIX.length());
    DefinitionRevision child =
        tx.definitions()
            .revision(parent.project(), "workflow", name, task.actionRevision())
            .orElse(null);
    if (child == null) {
      fail(
          tx,
          parent,
          task,
          job.attempt(),
          "the child workflow " + name + "@" + task.actionRevision() + " no longer exists",
          now);
      return;
    }
    JsonNode parameters;
    try {
      parameters = definitions.applyInputs(child, task.parameters());
    } catch (InvalidInputException e) {
      String fields =
          e.errors().stream()
              .map(f -> f.field() + ": " + f.message())
              .collect(Collectors.joining("; "));
      fail(
          tx,
          parent,
          task,
          job.attempt(),
          "the parameters for workflow " + name + " are invalid: " + fields,
          now);
      return;
    }
    ObjectNode trigger = Json.object();
    trigger.put("type", "workflow");
    trigger.put("source", parent.id() + "/" + task.name());
    trigger.put("at", Timestamps.format(now));
    trigger.set(
        "event", parent.trigger().path("event").isObject() ? parent.trigger().get("event") : null);
    trigger.putNull("schedule");
    Run created =
        runs.create(
            tx,
            NewRun.of(child, parameters, parent.labels(), trigger, parent.triggeredBy())
                .withInitiatedBy(parent.initiatedBy())
                .withParent(parent.id(), task.name()));
    Task current = tx.tasks().find(parent.id(), task.name()).orElseThrow();
    ObjectNode result = Json.object().put("ref", created.id());
    tx.tasks()
        .update(
            current.with(
                c -> {
                  c.result = result;
                  c.updatedAt = now;
                }));
  }

  /** When a child run ends, its parent's task ends the same way, and the parent advances. */
  public void ended(Tx tx, Run child) {
    if (child.parentRun() == null) {
      return;
    }
    Run parent = tx.runs().find(child.parentRun()).orElse(null);
    Task task =
        parent == null ? null : tx.tasks().find(parent.id(), child.parentTask()).orElse(null);
    if (task == null || task.status() != TaskStatus.RUNNING) {
      return;
    }
    Instant now = clock.instant();
    if (child.status() == RunStatus.COMPLETED) {
      ObjectNode outputs =
          Json.object().put("runId", child.id()).put("status", child.status().wire());
      ObjectNode result = Json.object().put("ref", child.id());
      result.set("outputs", outputs);
      tx.attempts()
          .finish(
              new Attempt(
                  parent.id(),
                  task.name(),
                  task.attempts(),
                  "succeeded",
                  null,
                  now,
                  host,
                  null,
                  null,
                  null));
      changes.moveTask(
          tx,
          parent,
          task,
          TaskStatus.SUCCEEDED,
          t ->
              t.with(
                  c -> {
                    c.result = result;
                    c.outputs = outputs;
                    c.completedAt = now;
                  }),
          Principals.ENGINE);
      tx.effects().record(Effect.of(parent.project(), task, result, outputs, now));
    } else {
      fail(
          tx,
          parent,
          task,
          task.attempts(),
          "the child run " + child.id() + " ended " + child.status().wire(),
          now);
      return;
    }
    advancer.advance(tx, tx.runs().find(parent.id()).orElseThrow());
  }

  private void fail(Tx tx, Run parent, Task task, int attempt, String cause, Instant now) {
    Task current = tx.tasks().find(parent.id(), task.name()).orElseThrow();
    tx.attempts()
        .finish(
            new Attempt(
                parent.id(), task.name(), attempt, "failed", null, now, host, null, null, cause));
    Failure failure =
        Failure.deterministic(cause, "open the child run to see which of its tasks failed and why");
    changes.moveTask(
        tx,
        parent,
        current,
        TaskStatus.FAILED,
        t ->
            t.with(
                c -> {
                  c.failure = failure;
                  c.completedAt = now;
                }),
        Principals.ENGINE);
    advancer.advance(tx, tx.runs().find(parent.id()).orElseThrow());
  }
}
