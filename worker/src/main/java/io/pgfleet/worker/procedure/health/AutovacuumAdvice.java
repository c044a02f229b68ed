package io.pgfleet.worker.procedure.health;

import io.pgfleet.commands.result.Finding;
import io.pgfleet.worker.config.HealthLimit;
import io.pgfleet.worker.procedure.maintenance.Items;
import io.pgfleet.worker.sql.TableRef;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The runbooks' "tune autovacuum per table (high-churn tables)": a table of at least {@value
 * #MIN_ROWS} rows whose updates and deletes since the statistics were reset outnumber its rows, and
 * that has no autovacuum scale factor of its own, waits for 20% dead rows (the default) between
 * vacuums. The advice is the runbook's {@code ALTER TABLE ... SET (...)}; it is never applied.
 */
final class AutovacuumAdvice {
  static final long MIN_ROWS = 10_000;
  static final String SETTINGS =
      "autovacuum_vacuum_scale_factor = 0.01, autovacuum_analyze_scale_factor = 0.005";

  private static final String HIGH_CHURN =
      """
      SELECT s.schemaname, s.relname, s.n_live_tup, s.n_tup_upd + s.n_tup_del, s.n_dead_tup
      FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
      WHERE s.n_live_tup >= ? AND s.n_tup_upd + s.n_tup_del >= s.n_live_tup
        AND NOT EXISTS (SELECT 1 FROM unnest(coalesce(c.reloptions, '{}')) o
                        WHERE o LIKE 'autovacuum_vacuum_scale_factor=%')
      ORDER BY (s.n_tup_upd + s.n_tup_del)::float8 / s.n_live_tup DESC LIMIT 50
      """;

  private AutovacuumAdvice() {}

  static Finding check(Probe probe) throws SQLException {
    List<Map<String, Object>> items = new ArrayList<>();
    try (var ps = probe.connection().prepareStatement(HIGH_CHURN)) {
      ps.setLong(1, MIN_ROWS);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String table = TableRef.quote(rs.getString(1)) + "." + TableRef.quote(rs.getString(2));
          items.add(
              Items.of(
                  "table", rs.getString(1) + "." + rs.getString(2),
                  "liveRows", rs.getLong(3),
                  "updatesAndDeletes", rs.getLong(4),
                  "deadRows", rs.getLong(5),
                  "suggestion", "ALTER TABLE " + table + " SET (" + SETTINGS + ")"));
        }
      }
    }
    String message =
        items.isEmpty()
            ? "no high-churn table without its own autovacuum settings"
            : Items.count(items.size(), "high-churn table", "high-churn tables")
                + " vacuumed only at 20% dead rows: consider each item's ALTER TABLE (review it"
                + " first; pgfleet never applies it)";
    return probe.measured(HealthLimit.AUTOVACUUM_TUNING, items.size(), message, items);
  }
}
