package io.pgfleet.worker.procedure.purge;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

/**
 * The ANALYZE (or VACUUM ANALYZE) that ends a purge, so the planner learns the table shrank. It
 * runs without a statement timeout; it waits for its lock at least a few seconds, since autovacuum
 * often works on a table that just lost many rows and steps aside only after {@code
 * deadlock_timeout}.
 *
 * @param done what ran, or why it was skipped
 * @param warning what the server warned about, e.g. a role that may not analyze the table
 */
record Maintenance(String done, long millis, String warning) {
  private static final Duration LEAST_LOCK_WAIT = Duration.ofSeconds(5);

  static Maintenance run(Connection c, PurgeTable t, Duration lockTimeout) throws SQLException {
    boolean vacuum = t.policy().vacuum();
    String what = vacuum ? "vacuum analyze" : "analyze";
    long start = System.nanoTime();
    try (Statement st = c.createStatement()) {
      st.execute("SET statement_timeout = 0");
      long wait = Math.max(lockTimeout.toMillis(), LEAST_LOCK_WAIT.toMillis());
      st.execute("SET lock_timeout = " + wait);
      st.execute((vacuum ? "VACUUM (ANALYZE) " : "ANALYZE ") + t.table().sql());
      return new Maintenance(what, millisSince(start), warnings(st.getWarnings()));
    } catch (SQLException e) {
      if (!"55P03".equals(e.getSQLState())) {
        throw e;
      }
      return new Maintenance(
          "skipped: " + what + " could not lock " + t.table() + "; autovacuum will see to it",
          millisSince(start),
          null);
    }
  }

  void addTo(Map<String, Object> stats) {
    stats.put("maintenance", done);
    stats.put("maintenanceMs", millis);
    if (warning != null) {
      stats.put("maintenanceWarning", warning);
    }
  }

  private static String warnings(SQLWarning w) {
    StringBuilder out = new StringBuilder();
    for (; w != null; w = w.getNextWarning()) {
      out.append(out.length() == 0 ? "" : "; ").append(w.getMessage());
    }
    return out.length() == 0 ? null : out.toString();
  }

  private static long millisSince(long start) {
    return (System.nanoTime() - start) / 1_000_000;
  }
}
