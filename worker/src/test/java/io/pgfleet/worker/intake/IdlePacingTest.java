package io.pgfleet.worker.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** How an idle worker paces the work that grows with its targets. */
class IdlePacingTest {
  @Test
  void the_lag_of_a_large_assignment_is_measured_less_often_and_a_small_one_every_second() {
    assertThat(LagMeter.interval(1)).isEqualTo(Duration.ofSeconds(1));
    assertThat(LagMeter.interval(200)).isEqualTo(Duration.ofSeconds(1));
    assertThat(LagMeter.interval(1_000)).isEqualTo(Duration.ofSeconds(5));
    assertThat(LagMeter.interval(5_000)).isEqualTo(Duration.ofSeconds(25));
  }

  @Test
  void topic_metadata_is_reread_less_often_the_more_targets_a_worker_serves_within_bounds() {
    assertThat(CommandIntake.metadataMaxAge(3)).isEqualTo(Duration.ofSeconds(10));
    assertThat(CommandIntake.metadataMaxAge(1_000)).isEqualTo(Duration.ofMinutes(1));
    assertThat(CommandIntake.metadataMaxAge(20_000)).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void an_empty_fetch_waits_longer_at_the_broker_the_more_targets_a_worker_serves_within_bounds() {
    assertThat(CommandIntake.fetchMaxWait(17)).isEqualTo(Duration.ofMillis(500));
    assertThat(CommandIntake.fetchMaxWait(250)).isEqualTo(Duration.ofMillis(500));
    assertThat(CommandIntake.fetchMaxWait(1_000)).isEqualTo(Duration.ofSeconds(2));
    assertThat(CommandIntake.fetchMaxWait(5_000)).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void the_idle_loop_polls_every_second_or_as_long_as_the_broker_holds_an_empty_fetch() {
    assertThat(CommandIntake.idlePoll(17)).isEqualTo(Duration.ofSeconds(1));
    assertThat(CommandIntake.idlePoll(1_000)).isEqualTo(Duration.ofSeconds(2));
  }
}
