package io.pgfleet.worker.procedure.pitr;

import io.pgfleet.commands.RecoveryTargetAction;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/**
 * One look at a recovering server: whether it has promoted (promote) or paused at its target
 * (pause), and the point it replayed to; a server that shuts down at its target is not probed.
 * Pause is {@code pg_get_wal_replay_pause_state() = 'paused'} from PostgreSQL 14 on (a pause only
 * requested does not count), {@code pg_is_wal_replay_paused()} before.
 */
final class ReplayProbe {
  private final RecoveryTargetAction action;

  ReplayProbe(RecoveryTargetAction action) {
    this.action = action;
  }

  /** What the server is waited for, for a timeout's message. */
  String goal() {
    return switch (action) {
      case PROMOTE -> "end";
      case PAUSE -> "pause at its target";
      case SHUTDOWN -> "stop at its target";
    };
  }

  Optional<RecoveryReached> reached(Connection conn) throws SQLException, RecoveryFailed {
    String paused =
        conn.getMetaData().getDatabaseMajorVersion() >= 14
            ? "pg_get_wal_replay_pause_state() = 'paused'"
            : "pg_is_wal_replay_paused()";
    try (Statement st = conn.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT pg_is_in_recovery(), COALESCE(pg_last_wal_replay_lsn(), CASE WHEN"
                    + " NOT pg_is_in_recovery() THEN pg_current_wal_lsn() END)::text,"
                    + " pg_last_xact_replay_timestamp(), (SELECT timeline_id FROM"
                    + " pg_control_checkpoint()), CASE WHEN pg_is_in_recovery() THEN "
                    + paused
                    + " ELSE false END")) {
      rs.next();
      boolean inRecovery = rs.getBoolean(1);
      if (action == RecoveryTargetAction.PAUSE && !inRecovery) {
        throw new RecoveryFailed(
            "the recovered server promoted instead of pausing at its target: it is writable");
      }
      boolean done = action == RecoveryTargetAction.PAUSE ? rs.getBoolean(5) : !inRecovery;
      if (!done) {
        return Optional.empty();
      }
      var time = rs.getTimestamp(3);
      return Optional.of(
          new RecoveryReached(
              rs.getString(2), time == null ? null : time.toInstant(), rs.getInt(4)));
    }
  }
}
