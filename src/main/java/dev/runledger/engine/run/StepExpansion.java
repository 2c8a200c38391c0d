package dev.runledger.engine.run;

import dev.runledger.model.Failure;
import java.util.List;

/**
 * A page of a step's tasks.
 *
 * @param total how many tasks the step has in all (its subjects, or 1)
 * @param stepFailure set when the step as a whole cannot be planned (forEach not a list, duplicate
 *     subject keys): it then has one failed task named after the step
 */
record StepExpansion(int total, List<PlannedTask> tasks, Failure stepFailure) {}
