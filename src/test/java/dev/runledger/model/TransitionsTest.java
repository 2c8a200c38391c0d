package dev.runledger.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TransitionsTest {
  @Test
  void terminal_task_statuses_do_not_move_except_failed_to_queued_for_a_manual_retry() {
    for (TaskStatus from : TaskStatus.values()) {
      for (TaskStatus to : TaskStatus.values()) {
        if (from.isTerminal() && Transitions.allowed(from, to)) {
          assertThat(from).isEqualTo(TaskStatus.FAILED);
          assertThat(to).isEqualTo(TaskStatus.QUEUED);
        }
      }
    }
  }

  @Test
  void an_illegal_change_throws_naming_the_task_and_both_statuses() {
    assertThatThrownBy(() -> Transitions.check("r/t", TaskStatus.SUCCEEDED, TaskStatus.RUNNING))
        .isInstanceOf(IllegalTransitionException.class)
        .hasMessageContaining("r/t")
        .hasMessageContaining("succeeded")
        .hasMessageContaining("running");
  }

  @Test
  void completed_and_cancelled_runs_are_final_and_failed_runs_can_reopen() {
    for (RunStatus to : RunStatus.values()) {
      assertThat(Transitions.allowed(RunStatus.COMPLETED, to)).isFalse();
      assertThat(Transitions.allowed(RunStatus.CANCELLED, to)).isFalse();
    }
    assertThat(Transitions.allowed(RunStatus.FAILED, RunStatus.RUNNING)).isTrue();
    assertThat(Transitions.allowed(RunStatus.COMPLETED_WITH_FAILURES, RunStatus.RUNNING)).isTrue();
  }

  @Test
  void wire_names_are_lower_case_with_hyphens_and_parse_back() {
    assertThat(RunStatus.COMPLETED_WITH_FAILURES.wire()).isEqualTo("completed-with-failures");
    assertThat(TaskStatus.fromWire("idempotent-replay")).isEqualTo(TaskStatus.IDEMPOTENT_REPLAY);
    assertThatThrownBy(() -> RunStatus.fromWire("done"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("completed");
  }
}
