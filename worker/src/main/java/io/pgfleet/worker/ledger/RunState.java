package io.pgfleet.worker.ledger;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * States of a run in the ledger, and which may follow which. A terminal state is final: the command
 * id is never executed again.
 */
public enum RunState {
  RUNNING,
  SUCCEEDED,
  FAILED,
  EXPIRED;

  private static final Map<RunState, Set<RunState>> ALLOWED =
      Map.of(
          RUNNING, EnumSet.of(RUNNING, SUCCEEDED, FAILED, EXPIRED), // RUNNING: lease takeover
          SUCCEEDED, EnumSet.noneOf(RunState.class),
          FAILED, EnumSet.noneOf(RunState.class),
          EXPIRED, EnumSet.noneOf(RunState.class));

  public boolean isTerminal() {
    return ALLOWED.get(this).isEmpty();
  }

  public boolean mayBeFollowedBy(RunState next) {
    return ALLOWED.get(this).contains(next);
  }

  /**
   * The table's verdict on a ledger update from {@code this} to {@code next}: one it does not allow
   * is a bug, refused before anything is written.
   */
  public RunState require(RunState next) {
    if (!mayBeFollowedBy(next)) {
      throw new IllegalStateException("a " + sqlName() + " run cannot become " + next.sqlName());
    }
    return next;
  }

  public String sqlName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static RunState fromSql(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }
}
