package io.pgfleet.dispatcher.fleet;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A run as the dispatcher sees it, and which status may follow which. */
public enum RunStatus {
  /** Sent (or seen) but no worker has reported on it yet. */
  QUEUED,
  RUNNING,
  SUCCEEDED,
  FAILED,
  REJECTED,
  EXPIRED;

  private static final Map<RunStatus, Set<RunStatus>> ALLOWED =
      Map.of(
          QUEUED, EnumSet.of(RUNNING, SUCCEEDED, FAILED, REJECTED, EXPIRED),
          RUNNING, EnumSet.of(RUNNING, SUCCEEDED, FAILED, REJECTED, EXPIRED), // takeover: RUNNING
          SUCCEEDED, EnumSet.noneOf(RunStatus.class),
          FAILED, EnumSet.noneOf(RunStatus.class),
          REJECTED, EnumSet.noneOf(RunStatus.class),
          EXPIRED, EnumSet.noneOf(RunStatus.class));

  public boolean isTerminal() {
    return ALLOWED.get(this).isEmpty();
  }

  public boolean mayBeFollowedBy(RunStatus next) {
    return ALLOWED.get(this).contains(next);
  }

  /** The statuses a run may be in for {@code next} to follow: the guard of the projection's SQL. */
  public static Set<RunStatus> before(RunStatus next) {
    Set<RunStatus> out = EnumSet.noneOf(RunStatus.class);
    ALLOWED.forEach(
        (from, to) -> {
          if (to.contains(next)) {
            out.add(from);
          }
        });
    return out;
  }

  public String sqlName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<RunStatus> fromName(String name) {
    for (RunStatus s : values()) {
      if (s.sqlName().equals(name)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }
}
