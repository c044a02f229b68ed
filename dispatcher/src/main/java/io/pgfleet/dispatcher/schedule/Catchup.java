package io.pgfleet.dispatcher.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What to do with the instants of a schedule that came due since it was last handled. Normally that
 * is one instant, fired a moment late. After downtime it can be many: the newest one within the
 * horizon (and still inside its window) fires once; every other one is recorded as missed.
 */
public final class Catchup {
  private Catchup() {}

  /** The outcome for a run of due instants: at most one fires. */
  public record Decision(Optional<Instant> fire, List<Missed> missed) {}

  /** An instant that did not fire, and why. */
  public record Missed(Instant instant, String reason) {}

  /**
   * @param due instants in ascending order, none after {@code now}
   * @param window the schedule's window, or null
   */
  public static Decision decide(List<Instant> due, Instant now, Duration horizon, Duration window) {
    List<Missed> missed = new ArrayList<>();
    if (due.isEmpty()) {
      return new Decision(Optional.empty(), missed);
    }
    Instant newest = due.get(due.size() - 1);
    Optional<Instant> fire = Optional.empty();
    if (Duration.between(newest, now).compareTo(horizon) > 0) {
      missed.add(new Missed(newest, "more than " + horizon + " late (missedHorizon)"));
    } else if (window != null && !newest.plus(window).isAfter(now)) {
      missed.add(new Missed(newest, "its window closed at " + newest.plus(window)));
    } else {
      fire = Optional.of(newest);
    }
    for (Instant instant : due.subList(0, due.size() - 1)) {
      String reason =
          Duration.between(instant, now).compareTo(horizon) > 0
              ? "more than " + horizon + " late (missedHorizon)"
              : "superseded by the later instant " + newest;
      missed.add(new Missed(instant, reason));
    }
    missed.sort(java.util.Comparator.comparing(Missed::instant));
    return new Decision(fire, missed);
  }
}
