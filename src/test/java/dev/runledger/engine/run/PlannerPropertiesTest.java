package dev.runledger.engine.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runledger.model.RunStatus;
import dev.runledger.model.SkipReason;
import dev.runledger.model.TaskStatus;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Simulates runs of random DAGs through the planner, with random task outcomes, and checks its
 * invariants: the run ends, no step starts before its needs end, and the terminal status follows
 * DESIGN.md §2 from the tasks' statuses.
 */
class PlannerPropertiesTest {

  @Property(tries = 300)
  void every_run_terminates_needs_are_respected_and_the_status_follows_the_tasks(
      @ForAll @IntRange(min = 1, max = 8) int stepCount,
      @ForAll long seed,
      @ForAll boolean cancelHalfway) {
    Random random = new Random(seed);
    List<StepSpec> steps = new ArrayList<>();
    for (int i = 0; i < stepCount; i++) {
      List<String> needs = new ArrayList<>();
      for (int j = 0; j < i; j++) {
        if (random.nextInt(3) == 0) {
          needs.add("s" + j);
        }
      }
      steps.add(new StepSpec("s" + i, needs, random.nextInt(4) == 0));
    }
    Map<String, StepProgress> progress = new HashMap<>();
    Map<String, Integer> finishedAt = new HashMap<>();
    RunStatus status = RunStatus.PENDING;
    boolean cancel = false;
    int clock = 0;
    for (int round = 0; round < 100 && !status.isTerminal(); round++) {
      if (cancelHalfway && round == 2) {
        cancel = true;
      }
      PlanDecision d = Planner.plan(steps, progress, cancel, status);
      for (Map.Entry<String, SkipReason> skip : d.stepsToSkip().entrySet()) {
        progress.put(skip.getKey(), StepProgress.skipped(skip.getValue(), 1));
        finishedAt.put(skip.getKey(), clock);
      }
      for (String start : d.stepsToStart()) {
        StepSpec spec = steps.stream().filter(s -> s.id().equals(start)).findFirst().orElseThrow();
        for (String need : spec.needs()) {
          assertThat(progress.get(need)).as("need %s of %s", need, start).isNotNull();
          assertThat(progress.get(need).isDone()).isTrue();
        }
        Map<TaskStatus, Integer> outcome = new EnumMap<>(TaskStatus.class);
        int tasks = 1 + random.nextInt(3);
        for (int t = 0; t < tasks; t++) {
          TaskStatus s =
              switch (random.nextInt(4)) {
                case 0 -> TaskStatus.FAILED;
                case 1 -> TaskStatus.SKIPPED;
                case 2 -> TaskStatus.IDEMPOTENT_REPLAY;
                default -> TaskStatus.SUCCEEDED;
              };
          outcome.merge(s, 1, Integer::sum);
        }
        progress.put(start, StepProgress.of(outcome));
        finishedAt.put(start, ++clock);
      }
      status = d.stepsToStart().isEmpty() && d.stepsToSkip().isEmpty() ? d.nextStatus() : status;
      if (!d.stepsToStart().isEmpty() && status == RunStatus.PENDING) {
        status = RunStatus.RUNNING;
      }
    }
    assertThat(status.isTerminal()).as("run ends").isTrue();
    assertThat(progress.keySet()).hasSize(stepCount);
    int failed = 0;
    int succeeded = 0;
    boolean upstream = false;
    for (StepProgress p : progress.values()) {
      failed += p.count(TaskStatus.FAILED);
      succeeded += p.count(TaskStatus.SUCCEEDED) + p.count(TaskStatus.IDEMPOTENT_REPLAY);
      upstream |= p.upstreamSkipped();
    }
    RunStatus expected;
    if (cancel) {
      expected = RunStatus.CANCELLED;
    } else if (failed == 0) {
      expected = RunStatus.COMPLETED;
    } else if (upstream || succeeded == 0) {
      expected = RunStatus.FAILED;
    } else {
      expected = RunStatus.COMPLETED_WITH_FAILURES;
    }
    assertThat(status).isEqualTo(expected);
  }
}
