package io.pgfleet.dispatcher.schedule;

import java.time.Duration;

/**
 * @param missedHorizon after downtime, instants at most this late fire (once per schedule); older
 *     ones are recorded as missed
 * @param tick how often the leader looks for due instants (and a follower tries to lead)
 */
public record SchedulingSettings(Duration missedHorizon, Duration tick) {
  public static SchedulingSettings defaults() {
    return new SchedulingSettings(Duration.ofHours(6), Duration.ofSeconds(5));
  }
}
