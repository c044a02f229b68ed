package io.pgfleet.commands.result;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Result events speak of run states in the one vocabulary, without changing their wire names. */
class OutcomeTest {
  @Test
  void every_outcome_maps_to_the_run_state_it_reports_and_a_duplicate_to_none_of_its_own() {
    Map<Outcome, Optional<RunState>> expected =
        Map.of(
            Outcome.STARTED, Optional.of(RunState.RUNNING),
            Outcome.PROGRESS, Optional.of(RunState.RUNNING),
            Outcome.SUCCEEDED, Optional.of(RunState.SUCCEEDED),
            Outcome.FAILED, Optional.of(RunState.FAILED),
            Outcome.REJECTED, Optional.of(RunState.REJECTED),
            Outcome.EXPIRED, Optional.of(RunState.EXPIRED),
            Outcome.DUPLICATE, Optional.empty());
    assertThat(expected).hasSize(Outcome.values().length);
    for (Outcome o : Outcome.values()) {
      assertThat(o.runState()).as(o.name()).isEqualTo(expected.get(o));
    }
  }

  @Test
  void every_state_but_queued_is_announced_by_an_event_that_reports_that_very_state() {
    for (RunState state : RunState.values()) {
      Optional<Outcome> announcing = Outcome.announcing(state);
      assertThat(announcing.isPresent()).as(state.name()).isEqualTo(state != RunState.QUEUED);
      announcing.ifPresent(o -> assertThat(o.runState()).contains(state));
    }
  }

  @Test
  void a_terminal_state_is_announced_under_its_stored_name_so_the_wire_format_is_unchanged() {
    for (RunState state : RunState.values()) {
      if (state.isTerminal()) {
        Outcome o = Outcome.announcing(state).orElseThrow();
        assertThat(o.wireName()).isEqualTo(state.sqlName());
        assertThat(o.eventType()).isEqualTo("io.pgfleet.run." + state.sqlName() + ".v1");
      }
    }
    assertThat(Outcome.STARTED.eventType()).isEqualTo("io.pgfleet.run.started.v1");
  }

  @Test
  void an_outcome_is_terminal_exactly_when_the_run_has_ended_or_it_reports_a_duplicate() {
    for (Outcome o : Outcome.values()) {
      boolean ended = o == Outcome.DUPLICATE || o.runState().orElseThrow().isTerminal();
      assertThat(o.isTerminal()).as(o.name()).isEqualTo(ended);
    }
    assertThat(Outcome.STARTED.isTerminal()).isFalse();
    assertThat(Outcome.PROGRESS.isTerminal()).isFalse();
  }
}
