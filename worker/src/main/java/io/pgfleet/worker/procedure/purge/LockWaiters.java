package io.pgfleet.worker.procedure.purge;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Whether another session waits for a lock that this connection's transaction holds. Asked of
 * pg_locks, which shows every session's locks to every role: pg_stat_activity hides the wait of
 * another role's session from a role that is neither superuser nor pg_read_all_stats, as the
 * target's own user usually is. A waiter's lock is the one not granted yet.
 */
final class LockWaiters {
  private static final String SOMEONE_WAITS =
      "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE NOT granted"
          + " AND pg_backend_pid() = ANY (pg_blocking_pids(pid)))";

  private LockWaiters() {}

  static boolean any(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(SOMEONE_WAITS)) {
      return rs.next() && rs.getBoolean(1);
    }
  }
}
