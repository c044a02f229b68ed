package io.pgfleet.worker.procedure.health;

import io.pgfleet.commands.result.Finding;
import io.pgfleet.worker.config.HealthLimit;
import io.pgfleet.worker.procedure.maintenance.Items;
import io.pgfleet.worker.procedure.maintenance.QueryText;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The statements with the highest mean time, from pg_stat_statements where it is installed. */
final class SlowStatements {
  private static final int TOP = 5;

  private SlowStatements() {}

  static Finding check(Probe probe) throws SQLException {
    String schema = extensionSchema(probe);
    if (schema == null) {
      return probe.finding(
          HealthLimit.SLOW_STATEMENTS,
          Finding.Status.UNKNOWN,
          null,
          "pg_stat_statements is not installed in this database: add it to"
              + " shared_preload_libraries and run CREATE EXTENSION pg_stat_statements to see the"
              + " slowest statements",
          List.of());
    }
    // Column names changed in PostgreSQL 13 (mean_time -> mean_exec_time).
    String mean =
        probe.connection().getMetaData().getDatabaseMajorVersion() >= 13
            ? "mean_exec_time"
            : "mean_time";
    String total = mean.replace("mean", "total");
    List<Map<String, Object>> items = new ArrayList<>();
    double worst = 0;
    try (Statement st = probe.connection().createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT queryid, calls, "
                    + mean
                    + " / 1000, "
                    + total
                    + " / 1000, query FROM "
                    + io.pgfleet.worker.sql.TableRef.quote(schema)
                    + ".pg_stat_statements"
                    + " WHERE dbid = (SELECT oid FROM pg_database WHERE datname ="
                    + " current_database()) ORDER BY 3 DESC LIMIT "
                    + TOP)) {
      while (rs.next()) {
        worst = Math.max(worst, rs.getDouble(3));
        items.add(
            Items.of(
                "queryId", rs.getLong(1),
                "calls", rs.getLong(2),
                "meanSeconds", Probe.compact(rs.getDouble(3)),
                "totalSeconds", Probe.compact(rs.getDouble(4)),
                "query", QueryText.preview(rs.getString(5))));
      }
    }
    String message =
        items.isEmpty()
            ? "pg_stat_statements has recorded no statements in this database yet"
            : "the slowest statement takes "
                + Items.seconds(worst)
                + " on average"
                + (worst < 1
                    ? String.format(java.util.Locale.ROOT, " (%.0f ms)", worst * 1000)
                    : "")
                + "; items list the "
                + items.size()
                + " slowest";
    return probe.measured(HealthLimit.SLOW_STATEMENTS, worst, message, items);
  }

  private static String extensionSchema(Probe probe) throws SQLException {
    try (Statement st = probe.connection().createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid ="
                    + " e.extnamespace WHERE e.extname = 'pg_stat_statements'")) {
      return rs.next() ? rs.getString(1) : null;
    }
  }
}
