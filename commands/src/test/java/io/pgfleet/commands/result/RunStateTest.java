package io.pgfleet.commands.result;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;

/** The one table of run states the ledger's and the fleet view's updates go through. */
class RunStateTest {
  private static final EnumSet<RunState> TERMINAL =
      EnumSet.of(RunState.SUCCEEDED, RunState.FAILED, RunState.REJECTED, RunState.EXPIRED);

  @Test
  void a_queued_or_running_run_may_end_in_any_terminal_state_or_start_running() {
    for (RunState from : EnumSet.of(RunState.QUEUED, RunState.RUNNING)) {
      assertThat(from.isTerminal()).isFalse();
      for (RunState next : EnumSet.complementOf(EnumSet.of(RunState.QUEUED))) {
        assertThat(from.require(next)).isEqualTo(next);
      }
    }
  }

  @Test
  void no_run_goes_back_to_queued() {
    for (RunState from : RunState.values()) {
      assertThatThrownBy(() -> from.require(RunState.QUEUED))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("a " + from.sqlName() + " run cannot become queued");
    }
  }

  @Test
  void a_terminal_state_is_final_and_an_update_out_of_it_is_refused() {
    for (RunState terminal : TERMINAL) {
      assertThat(terminal.isTerminal()).isTrue();
      for (RunState next : RunState.values()) {
        assertThatThrownBy(() -> terminal.require(next))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("a " + terminal.sqlName() + " run cannot become");
      }
    }
  }

  @Test
  void the_guard_of_an_update_names_exactly_the_states_the_table_allows_it_from() {
    for (RunState next : RunState.values()) {
      for (RunState from : RunState.values()) {
        assertThat(RunState.sqlNamesBefore(next))
            .as("%s -> %s", from, next)
            .matches(
                names ->
                    java.util.List.of(names).contains(from.sqlName())
                        == from.mayBeFollowedBy(next));
      }
    }
    assertThat(RunState.sqlNamesBefore(RunState.SUCCEEDED)).containsExactly("queued", "running");
    assertThat(RunState.sqlNamesBefore(RunState.QUEUED)).isEmpty();
  }

  @Test
  void the_stored_names_are_the_ones_the_databases_check_constraints_allow() {
    assertThat(EnumSet.allOf(RunState.class))
        .extracting(RunState::sqlName)
        .containsExactly("queued", "running", "succeeded", "failed", "rejected", "expired");
    for (RunState s : RunState.values()) {
      assertThat(RunState.fromSql(s.sqlName())).isEqualTo(s);
    }
    assertThatThrownBy(() -> RunState.fromSql("done")).hasMessage("no run state is named done");
  }
}
