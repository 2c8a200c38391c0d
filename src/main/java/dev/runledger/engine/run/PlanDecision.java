package dev.runledger.engine.run;

import dev.runledger.model.RunStatus;
import dev.runledger.model.SkipReason;
import java.util.List;
import java.util.Map;

/**
 * What the planner decided: steps whose tasks are to be created now, steps to skip (with why), and
 * the run's next status.
 */
record PlanDecision(
    List<String> stepsToStart, Map<String, SkipReason> stepsToSkip, RunStatus nextStatus) {}
