package dev.runledger.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runledger.model.Task;
import dev.runledger.model.TaskRef;
import java.time.Instant;

/**
 * A recorded success for an idempotency key: the effect that must not happen twice. The key is
 * scoped by project and bound to the action that made the effect (docs/idempotency.md).
 *
 * @param action the action that made it ({@code workflow:<name>} for a child run); null for an
 *     effect recorded before effects named their action and whose task no longer exists
 */
public record Effect(
    String project,
    String idempotencyKey,
    String action,
    String runId,
    String taskName,
    JsonNode result,
    JsonNode outputs,
    Instant recordedAt) {

  /** The effect a task made by succeeding in a run of {@code project}. */
  public static Effect of(
      String project, Task task, JsonNode result, JsonNode outputs, Instant recordedAt) {
    return new Effect(
        project,
        task.idempotencyKey(),
        task.action(),
        task.runId(),
        task.name(),
        result,
        outputs,
        recordedAt);
  }

  /** True if {@code task} would repeat this effect: the same action (any revision). */
  public boolean sameEffectAs(Task task) {
    return action == null || action.equals(task.action());
  }

  /** What holds the key, as a cause names it: "an effect of action 'a' (run r, task t)". */
  public String describe() {
    return "an effect of action '" + action + "' (run " + runId + ", task " + taskName + ")";
  }

  /** The task that made it. */
  public TaskRef origin() {
    return new TaskRef(runId, taskName);
  }
}
