package io.pgfleet.worker.procedure.purge;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Whether another session waits for a lock that one connection's transaction holds. A role that
 * sees every session's wait (superuser, or a member of pg_read_all_stats) asks pg_stat_activity,
 * which calls pg_blocking_pids only for a session waiting on a lock. Any other role, as the
 * target's own user usually is, would not see another role's wait there, and asks pg_locks instead
 * (readable by every role, but a copy of the whole lock table at each ask): a waiter's lock is the
 * one not granted yet. Which one is decided at the first ask.
 */
final class LockWaiters {
  private static final String SEES_EVERY_WAIT = "SELECT pg_has_role('pg_read_all_stats', 'USAGE')";

  private static final String WAITING_IN_ACTIVITY =
      "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
          + " AND pg_backend_pid() = ANY (pg_blocking_pids(pid)))";

  private static final String WAITING_IN_LOCKS =
      "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE NOT granted"
          + " AND pg_backend_pid() = ANY (pg_blocking_pids(pid)))";

  private String query;

  /** Whether a session waits for a lock {@code c}'s transaction holds. */
  boolean any(Connection c) throws SQLException {
    if (query == null) {
      query = ask(c, SEES_EVERY_WAIT) ? WAITING_IN_ACTIVITY : WAITING_IN_LOCKS;
    }
    return ask(c, query);
  }

  /** Which of the two queries this connection's role asks; null before the first ask. */
  String query() {
    return query;
  }

  private static boolean ask(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      return rs.next() && rs.getBoolean(1);
    }
  }
}
