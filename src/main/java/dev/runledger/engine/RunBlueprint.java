package dev.runledger.engine;

import java.util.List;
import java.util.Map;

/**
 * A run's steps as the engine executes them, each with the action revision it invokes. A one-off
 * action run is the blueprint of one step.
 */
public record RunBlueprint(List<StepSpec> steps, Map<String, ActionRef> actions) {

  /** An action pinned to one revision. */
  public record ActionRef(String name, int revision, String hash) {}

  static RunBlueprint singleAction(String stepId, ActionRef action) {
    return new RunBlueprint(
        List.of(new StepSpec(stepId, List.of(), false)), Map.of(stepId, action));
  }
}
