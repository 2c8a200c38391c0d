package dev.runledger.engine.run;

import java.util.List;

/**
 * What the planner needs of a step: its id, what it needs, and whether failures stop dependents.
 */
public record StepSpec(String id, List<String> needs, boolean continueOnError) {}
