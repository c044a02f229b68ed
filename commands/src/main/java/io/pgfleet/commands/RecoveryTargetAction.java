package io.pgfleet.commands;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * What a recovered server does at its recovery target: PostgreSQL's {@code recovery_target_action}
 * (pgBackRest's {@code --target-action}).
 */
public enum RecoveryTargetAction {
  /** Ends recovery and becomes writable on a new timeline. */
  PROMOTE,
  /** Stays in recovery, paused at the target and read-only, until pg_wal_replay_resume(). */
  PAUSE,
  /** Stops at the target; the data directory is left ready to be started with another action. */
  SHUTDOWN;

  /** The wire name, which is also the {@code recovery_target_action} value. */
  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static RecoveryTargetAction fromWireName(String name) {
    for (RecoveryTargetAction a : values()) {
      if (a.wireName().equals(name)) {
        return a;
      }
    }
    throw new IllegalArgumentException(
        "targetAction must be promote, pause or shutdown, not " + Printable.quote(name));
  }
}
