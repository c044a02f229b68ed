package io.pgfleet.commands.result;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The states of a run, shared by the worker's ledger and the dispatcher's view of the fleet, and
 * which may follow which. A terminal state is final: the command id is never executed again. The
 * worker's ledger holds only the states a worker writes (never {@code queued} or {@code rejected}).
 */
public enum RunState {
  /** Sent (or seen) but no worker has reported on it yet. */
  QUEUED,
  RUNNING,
  SUCCEEDED,
  FAILED,
  REJECTED,
  EXPIRED;

  private static final Map<RunState, Set<RunState>> ALLOWED =
      Map.of(
          QUEUED, EnumSet.of(RUNNING, SUCCEEDED, FAILED, REJECTED, EXPIRED),
          RUNNING, EnumSet.of(RUNNING, SUCCEEDED, FAILED, REJECTED, EXPIRED), // RUNNING: takeover
          SUCCEEDED, EnumSet.noneOf(RunState.class),
          FAILED, EnumSet.noneOf(RunState.class),
          REJECTED, EnumSet.noneOf(RunState.class),
          EXPIRED, EnumSet.noneOf(RunState.class));

  public boolean isTerminal() {
    return ALLOWED.get(this).isEmpty();
  }

  public boolean mayBeFollowedBy(RunState next) {
    return ALLOWED.get(this).contains(next);
  }

  /**
   * The table's verdict on an update from {@code this} to {@code next}: one it does not allow is a
   * bug, refused before anything is written.
   */
  public RunState require(RunState next) {
    if (!mayBeFollowedBy(next)) {
      throw new IllegalStateException("a " + sqlName() + " run cannot become " + next.sqlName());
    }
    return next;
  }

  /**
   * The SQL names of the states a run may be in for {@code next} to follow: the parameter of an
   * update's {@code WHERE state = ANY (?)}, so a late or replayed write cannot undo a later state.
   */
  public static String[] sqlNamesBefore(RunState next) {
    return Arrays.stream(values())
        .filter(from -> from.mayBeFollowedBy(next))
        .map(RunState::sqlName)
        .toArray(String[]::new);
  }

  /** The name stored in the ledger and carried by events ({@code original.outcome}). */
  public String sqlName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static RunState fromSql(String name) {
    return fromName(name)
        .orElseThrow(() -> new IllegalArgumentException("no run state is named " + name));
  }

  public static Optional<RunState> fromName(String name) {
    return Arrays.stream(values()).filter(s -> s.sqlName().equals(name)).findFirst();
  }
}
