package dev.runledger.engine;

import dev.runledger.model.Run;
import dev.runledger.model.SkipReason;
import dev.runledger.model.Task;
import dev.runledger.model.TaskStatus;
import dev.runledger.store.Tx;
import java.time.Instant;
import java.util.List;

/** Turns a ready step into the tasks it runs, with their parameters and idempotency keys. */
public final class TaskPlanner {

  /** The blueprint of a run: for a one-off action run, one step named after the action. */
  public RunBlueprint blueprint(Tx tx, Run run) {
    if (run.action() != null) {
      return RunBlueprint.singleAction(
          run.action(),
          new RunBlueprint.ActionRef(run.action(), run.revision(), run.definitionHash()));
    }
    throw new IllegalStateException("workflow runs are not supported yet: " + run.id());
  }

  /** The tasks of a step that became ready, numbered from {@code afterSeq + 1}. */
  public List<Task> tasksOf(Tx tx, Run run, RunBlueprint blueprint, String step, int afterSeq) {
    RunBlueprint.ActionRef action = blueprint.actions().get(step);
    return List.of(
        new Task(
            run.id(),
            step,
            afterSeq + 1,
            step,
            null,
            null,
            action.name(),
            action.revision(),
            action.hash(),
            run.parameters(),
            TaskStatus.QUEUED,
            null,
            run.id() + "/" + step,
            null,
            null,
            null,
            null,
            0,
            null,
            null));
  }

  /** A task that records a step which will not run. */
  public Task skippedPlaceholder(
      Run run, RunBlueprint blueprint, String step, int seq, SkipReason reason, Instant now) {
    RunBlueprint.ActionRef action = blueprint.actions().get(step);
    return new Task(
        run.id(),
        step,
        seq,
        step,
        null,
        null,
        action.name(),
        action.revision(),
        action.hash(),
        run.parameters(),
        TaskStatus.SKIPPED,
        reason,
        run.id() + "/" + step,
        null,
        null,
        null,
        null,
        0,
        null,
        now);
  }
}
