package io.pgfleet.worker.procedure.purge;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Whether another session waits for a lock that this connection's transaction holds. */
final class LockWaiters {
  private static final String SOMEONE_WAITS =
      "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
          + " AND pg_backend_pid() = ANY (pg_blocking_pids(pid)))";

  private LockWaiters() {}

  static boolean any(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(SOMEONE_WAITS)) {
      return rs.next() && rs.getBoolean(1);
    }
  }
}
