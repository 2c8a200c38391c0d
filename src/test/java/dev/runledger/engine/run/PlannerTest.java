package dev.runledger.engine.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runledger.model.RunStatus;
import dev.runledger.model.SkipReason;
import dev.runledger.model.TaskStatus;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlannerTest {
  private static final List<StepSpec> CHAIN =
      List.of(
          new StepSpec("a", List.of(), false),
          new StepSpec("b", List.of("a"), false),
          new StepSpec("c", List.of("b"), false));

  private static StepProgress tasks(Object... statusAndCount) {
    Map<TaskStatus, Integer> m = new EnumMap<>(TaskStatus.class);
    for (int i = 0; i < statusAndCount.length; i += 2) {
      m.put((TaskStatus) statusAndCount[i], (Integer) statusAndCount[i + 1]);
    }
    return StepProgress.of(m);
  }

  @Test
  void a_new_run_starts_the_steps_without_needs_and_stays_pending() {
    PlanDecision d = Planner.plan(CHAIN, Map.of(), false, RunStatus.PENDING);
    assertThat(d.stepsToStart()).containsExactly("a");
    assertThat(d.stepsToSkip()).isEmpty();
    assertThat(d.nextStatus()).isEqualTo(RunStatus.PENDING);
  }

  @Test
  void a_run_whose_only_task_awaits_approval_is_running_not_pending() {
    List<StepSpec> one = List.of(new StepSpec("gate", List.of(), false));
    PlanDecision d =
        Planner.plan(
            one, Map.of("gate", tasks(TaskStatus.AWAITING_APPROVAL, 1)), false, RunStatus.PENDING);
    assertThat(d.stepsToStart()).isEmpty();
    assertThat(d.nextStatus()).isEqualTo(RunStatus.RUNNING);
  }

  @Test
  void a_rejected_approval_skips_the_steps_after_it_with_its_reason_and_the_run_completes() {
    Map<String, StepProgress> p = new HashMap<>();
    p.put("a", StepProgress.skipped(SkipReason.APPROVAL_REJECTED, 1));
    PlanDecision d = Planner.plan(CHAIN, p, false, RunStatus.RUNNING);
    assertThat(d.stepsToStart()).isEmpty();
    assertThat(d.stepsToSkip())
        .containsEntry("b", SkipReason.APPROVAL_REJECTED)
        .containsEntry("c", SkipReason.APPROVAL_REJECTED);
    assertThat(d.nextStatus()).isEqualTo(RunStatus.COMPLETED);
  }

  @Test
  void one_expired_approval_of_a_fan_out_stops_its_dependents_unless_it_continues_on_error() {
    Map<TaskStatus, Integer> counts = new EnumMap<>(TaskStatus.class);
    counts.put(TaskStatus.SUCCEEDED, 3);
    counts.put(TaskStatus.SKIPPED, 1);
    StepProgress fan = new StepProgress(counts, false, SkipReason.APPROVAL_EXPIRED);
    PlanDecision stopped = Planner.plan(CHAIN, Map.of("a", fan), false, RunStatus.RUNNING);
    assertThat(stopped.stepsToSkip()).containsEntry("b", SkipReason.APPROVAL_EXPIRED);
    assertThat(stopped.nextStatus()).isEqualTo(RunStatus.COMPLETED);
    List<StepSpec> lenient =
        List.of(new StepSpec("a", List.of(), true), new StepSpec("b", List.of("a"), false));
    assertThat(Planner.plan(lenient, Map.of("a", fan), false, RunStatus.RUNNING).stepsToStart())
        .containsExactly("b");
  }

  @Test
  void a_condition_false_skip_does_not_stop_the_steps_after_it() {
    PlanDecision d =
        Planner.plan(
            CHAIN,
            Map.of("a", StepProgress.skipped(SkipReason.CONDITION_FALSE, 1)),
            false,
            RunStatus.RUNNING);
    assertThat(d.stepsToStart()).containsExactly("b");
  }

  @Test
  void a_step_never_starts_before_its_needs_are_done() {
    PlanDecision d =
        Planner.plan(CHAIN, Map.of("a", tasks(TaskStatus.RUNNING, 1)), false, RunStatus.RUNNING);
    assertThat(d.stepsToStart()).isEmpty();
    assertThat(d.nextStatus()).isEqualTo(RunStatus.RUNNING);
  }

  @Test
  void a_failed_step_skips_its_dependents_upstream_failed_and_fails_the_run() {
    Map<String, StepProgress> p = new HashMap<>();
    p.put("a", tasks(TaskStatus.SUCCEEDED, 1));
    p.put("b", tasks(TaskStatus.FAILED, 1));
    PlanDecision d = Planner.plan(CHAIN, p, false, RunStatus.RUNNING);
    assertThat(d.stepsToSkip()).containsEntry("c", SkipReason.UPSTREAM_FAILED);
    assertThat(d.nextStatus()).isEqualTo(RunStatus.FAILED);
  }

  @Test
  void continue_on_error_lets_dependents_run_and_the_run_completes_with_failures() {
    List<StepSpec> steps =
        List.of(new StepSpec("a", List.of(), true), new StepSpec("b", List.of("a"), false));
    PlanDecision start =
        Planner.plan(
            steps,
            Map.of("a", tasks(TaskStatus.FAILED, 1, TaskStatus.SUCCEEDED, 2)),
            false,
            RunStatus.RUNNING);
    assertThat(start.stepsToStart()).containsExactly("b");
    PlanDecision end =
        Planner.plan(
            steps,
            Map.of(
                "a", tasks(TaskStatus.FAILED, 1, TaskStatus.SUCCEEDED, 2),
                "b", tasks(TaskStatus.SUCCEEDED, 1)),
            false,
            RunStatus.RUNNING);
    assertThat(end.nextStatus()).isEqualTo(RunStatus.COMPLETED_WITH_FAILURES);
  }

  @Test
  void independent_fan_out_failures_give_completed_with_failures() {
    List<StepSpec> one = List.of(new StepSpec("fan", List.of(), false));
    PlanDecision d =
        Planner.plan(
            one,
            Map.of(
                "fan",
                tasks(TaskStatus.SUCCEEDED, 12, TaskStatus.FAILED, 1, TaskStatus.SKIPPED, 1)),
            false,
            RunStatus.RUNNING);
    assertThat(d.nextStatus()).isEqualTo(RunStatus.COMPLETED_WITH_FAILURES);
  }

  @Test
  void a_one_off_run_whose_task_failed_is_failed() {
    List<StepSpec> one = List.of(new StepSpec("x", List.of(), false));
    PlanDecision d =
        Planner.plan(one, Map.of("x", tasks(TaskStatus.FAILED, 1)), false, RunStatus.RUNNING);
    assertThat(d.nextStatus()).isEqualTo(RunStatus.FAILED);
  }

  @Test
  void idempotent_replays_and_skips_count_as_completed() {
    List<StepSpec> one = List.of(new StepSpec("x", List.of(), false));
    PlanDecision d =
        Planner.plan(
            one,
            Map.of("x", tasks(TaskStatus.IDEMPOTENT_REPLAY, 3, TaskStatus.SKIPPED, 2)),
            false,
            RunStatus.RUNNING);
    assertThat(d.nextStatus()).isEqualTo(RunStatus.COMPLETED);
  }

  @Test
  void cancel_skips_unplanned_steps_and_waits_for_tasks_in_flight() {
    PlanDecision waiting =
        Planner.plan(CHAIN, Map.of("a", tasks(TaskStatus.RUNNING, 1)), true, RunStatus.RUNNING);
    assertThat(waiting.stepsToSkip())
        .containsEntry("b", SkipReason.RUN_CANCELLED)
        .containsEntry("c", SkipReason.RUN_CANCELLED);
    assertThat(waiting.nextStatus()).isEqualTo(RunStatus.RUNNING);
    Map<String, StepProgress> done = new HashMap<>();
    done.put("a", tasks(TaskStatus.SUCCEEDED, 1));
    done.put("b", StepProgress.skipped(SkipReason.RUN_CANCELLED, 1));
    done.put("c", StepProgress.skipped(SkipReason.RUN_CANCELLED, 1));
    assertThat(Planner.plan(CHAIN, done, true, RunStatus.RUNNING).nextStatus())
        .isEqualTo(RunStatus.CANCELLED);
  }

  @Test
  void an_upstream_skip_propagates_through_the_whole_chain_in_one_decision() {
    PlanDecision d =
        Planner.plan(CHAIN, Map.of("a", tasks(TaskStatus.FAILED, 1)), false, RunStatus.RUNNING);
    assertThat(d.stepsToSkip()).containsOnlyKeys("b", "c");
    assertThat(d.nextStatus()).isEqualTo(RunStatus.FAILED);
  }
}
