package io.pgfleet.worker.procedure.health;

import io.pgfleet.worker.procedure.maintenance.Items;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The runbook's connection pool review: the target database's client sessions by user and
 * application_name, the most first, with how many are active, idle and idle in a transaction.
 * Without pg_read_all_stats other roles' sessions show no state: they count in {@code connections}
 * and in {@code stateNotVisible}, not in the states.
 */
final class ConnectionsByClient {
  static final int MAX_LISTED = 10;

  /**
   * A client session, also where this role may not see its type: pg_stat_activity hides the
   * backend_type of other roles' sessions (no pg_read_all_stats) but not their user, which the
   * server's own processes (autovacuum, checkpointer...) lack.
   */
  static final String CLIENT_SESSION =
      "(backend_type = 'client backend' OR (backend_type IS NULL AND usesysid IS NOT NULL))";

  private static final String BY_CLIENT =
      """
      SELECT usename, application_name, count(*),
             count(*) FILTER (WHERE state = 'active'),
             count(*) FILTER (WHERE state = 'idle'),
             count(*) FILTER (WHERE state LIKE 'idle in transaction%%'),
             count(*) FILTER (WHERE state IS NULL),
             current_database()
      FROM pg_stat_activity
      WHERE datname = current_database() AND %s
      GROUP BY usename, application_name
      ORDER BY 3 DESC, 1, 2
      LIMIT ?
      """
          .formatted(CLIENT_SESSION);

  private ConnectionsByClient() {}

  /** One item per user and application of the target database, the {@value MAX_LISTED} largest. */
  static List<Map<String, Object>> items(Probe probe) throws SQLException {
    List<Map<String, Object>> items = new ArrayList<>();
    try (var ps = probe.connection().prepareStatement(BY_CLIENT)) {
      ps.setInt(1, MAX_LISTED);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long hidden = rs.getLong(7);
          items.add(
              Items.of(
                  "database", rs.getString(8),
                  "user", rs.getString(1),
                  "application", rs.getString(2),
                  "connections", rs.getLong(3),
                  "active", rs.getLong(4),
                  "idle", rs.getLong(5),
                  "idleInTransaction", rs.getLong(6),
                  "stateNotVisible", hidden == 0 ? null : hidden));
        }
      }
    }
    return items;
  }

  /** Names the largest client of the database for the finding's message. */
  static String largest(List<Map<String, Object>> items) {
    if (items.isEmpty()) {
      return "";
    }
    Map<String, Object> top = items.get(0);
    return "; in this database the most are user "
        + top.get("user")
        + ", application "
        + (top.get("application") == null || "".equals(top.get("application"))
            ? "(none)"
            : top.get("application"))
        + " ("
        + top.get("connections")
        + ")";
  }
}
