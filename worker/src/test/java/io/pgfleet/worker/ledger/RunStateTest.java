package io.pgfleet.worker.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The one table of run states the ledger's updates go through. */
class RunStateTest {
  @Test
  void a_running_run_may_end_in_any_terminal_state_or_be_taken_over() {
    for (RunState next : RunState.values()) {
      assertThat(RunState.RUNNING.require(next)).isEqualTo(next);
    }
  }

  @Test
  void a_terminal_state_is_final_and_an_update_out_of_it_is_refused() {
    for (RunState terminal :
        new RunState[] {RunState.SUCCEEDED, RunState.FAILED, RunState.EXPIRED}) {
      assertThat(terminal.isTerminal()).isTrue();
      for (RunState next : RunState.values()) {
        assertThatThrownBy(() -> terminal.require(next))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("a " + terminal.sqlName() + " run cannot become");
      }
    }
  }
}
