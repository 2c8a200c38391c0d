package dev.runledger.engine.run;

import dev.runledger.model.WorkflowDefinition;
import dev.runledger.model.WorkflowStep;
import java.util.List;
import java.util.Map;

/**
 * A run's steps as the engine executes them, each with what it was pinned to when the run was
 * created. A one-off action run is the blueprint of one step without a workflow.
 *
 * @param workflow the workflow definition, or null for a one-off action run
 */
public record RunBlueprint(
    List<StepSpec> steps, Map<String, Target> targets, WorkflowDefinition workflow) {

  /** What a step runs: an action revision, or a child workflow revision. */
  public record Target(String kind, String name, int revision, String hash) {
    public boolean isWorkflow() {
      return kind.equals("workflow");
    }

    /** The task's {@code action} field: the action's name, or {@code workflow:<name>}. */
    public String taskAction() {
      return isWorkflow() ? "workflow:" + name : name;
    }
  }

  /** The workflow step of this id, or null for a one-off action run. */
  public WorkflowStep step(String id) {
    if (workflow == null) {
      return null;
    }
    return workflow.steps().stream().filter(s -> s.id().equals(id)).findFirst().orElse(null);
  }

  public int position(String id) {
    for (int i = 0; i < steps.size(); i++) {
      if (steps.get(i).id().equals(id)) {
        return i;
      }
    }
    return -1;
  }
}
