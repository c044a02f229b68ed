package io.pgfleet.dispatcher.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CatchupTest {
  private static final Instant NOW = Instant.parse("2026-11-21T05:00:00Z");

  @Test
  void missed_instants_within_the_horizon_fire_once_as_the_newest() {
    List<Instant> due = List.of(at("02:00"), at("03:00"), at("04:00"));

    Catchup.Decision d = Catchup.decide(due, NOW, Duration.ofHours(6), null);

    assertThat(d.fire()).contains(at("04:00"));
    assertThat(d.missed())
        .extracting(Catchup.Missed::instant)
        .containsExactly(at("02:00"), at("03:00"));
    assertThat(d.missed().get(0).reason()).contains("superseded");
  }

  @Test
  void instants_older_than_the_horizon_are_recorded_as_missed_and_not_fired() {
    List<Instant> due = List.of(at("01:00"), at("02:00"));

    Catchup.Decision d = Catchup.decide(due, NOW, Duration.ofHours(2), null);

    assertThat(d.fire()).isEmpty();
    assertThat(d.missed()).hasSize(2).allSatisfy(m -> assertThat(m.reason()).contains("late"));
  }

  @Test
  void an_instant_whose_window_closed_is_missed_not_sent_to_expire() {
    Catchup.Decision d =
        Catchup.decide(List.of(at("02:00")), NOW, Duration.ofHours(6), Duration.ofHours(2));

    assertThat(d.fire()).isEmpty();
    assertThat(d.missed().get(0).reason()).contains("window closed");
  }

  private static Instant at(String time) {
    return Instant.parse("2026-11-21T" + time + ":00Z");
  }
}
