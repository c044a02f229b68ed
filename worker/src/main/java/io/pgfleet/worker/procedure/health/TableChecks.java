package io.pgfleet.worker.procedure.health;

import io.pgfleet.commands.result.Finding;
import io.pgfleet.commands.result.Finding.Status;
import io.pgfleet.worker.config.HealthLimit;
import io.pgfleet.worker.procedure.maintenance.Items;
import io.pgfleet.worker.procedure.maintenance.Rows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Dead tuples and how recently the user tables were vacuumed and analyzed (pg_stat_user_tables).
 */
final class TableChecks {
  /** Below this many dead or changed rows a table is too small to worry about. */
  static final long MIN_ROWS = 1000;

  /** The statistic holding the dead row versions of all user tables together. */
  static final String DEAD_TUPLES = "deadTuples";

  private TableChecks() {}

  /** One row of pg_stat_user_tables; the ages are null when it never happened. */
  record TableActivity(
      String table,
      long live,
      long dead,
      long modifiedSinceAnalyze,
      Double vacuumAgeSeconds,
      Double analyzeAgeSeconds) {

    double deadPercent() {
      return live + dead == 0 ? 0 : 100.0 * dead / (live + dead);
    }
  }

  private static final String ACTIVITY =
      """
      SELECT schemaname || '.' || relname, n_live_tup, n_dead_tup, n_mod_since_analyze,
             extract(epoch FROM now() - greatest(last_vacuum, last_autovacuum)),
             extract(epoch FROM now() - greatest(last_analyze, last_autoanalyze))
      FROM pg_stat_user_tables
      """;

  static List<TableActivity> activity(Probe probe) throws SQLException {
    List<TableActivity> out = new ArrayList<>();
    try (Statement st = probe.connection().createStatement();
        ResultSet rs = st.executeQuery(ACTIVITY)) {
      while (rs.next()) {
        out.add(
            new TableActivity(
                rs.getString(1),
                rs.getLong(2),
                rs.getLong(3),
                rs.getLong(4),
                Rows.nullableDouble(rs, 5),
                Rows.nullableDouble(rs, 6)));
      }
    }
    return out;
  }

  static Finding deadTuples(Probe probe) throws SQLException {
    List<TableActivity> all = activity(probe);
    probe.measure(DEAD_TUPLES, all.stream().mapToLong(TableActivity::dead).sum());
    List<TableActivity> tables =
        all.stream()
            .filter(t -> t.dead() >= MIN_ROWS)
            .sorted(Comparator.comparingDouble(TableActivity::deadPercent).reversed())
            .toList();
    double worst = tables.isEmpty() ? 0 : tables.get(0).deadPercent();
    List<Map<String, Object>> items =
        tables.stream()
            .filter(t -> probe.notable(HealthLimit.DEAD_TUPLES, t.deadPercent()))
            .map(
                t ->
                    Items.of(
                        "table", t.table(),
                        "deadTuples", t.dead(),
                        "liveTuples", t.live(),
                        "deadPercent", Probe.compact(t.deadPercent())))
            .toList();
    String message =
        tables.isEmpty()
            ? "no table has " + MIN_ROWS + " dead row versions or more"
            : String.format(
                    java.util.Locale.ROOT,
                    "%s has the highest share of dead row versions: %.1f%% (%d of %d)",
                    tables.get(0).table(),
                    worst,
                    tables.get(0).dead(),
                    tables.get(0).dead() + tables.get(0).live())
                + (items.isEmpty() ? "" : ": vacuum the tables listed, and check autovacuum");
    return probe.measured(HealthLimit.DEAD_TUPLES, worst, message, items);
  }

  static Finding staleVacuum(Probe probe) throws SQLException {
    List<TableActivity> tables =
        activity(probe).stream().filter(t -> t.dead() >= MIN_ROWS).toList();
    return stale(
        probe,
        HealthLimit.STALE_VACUUM,
        tables,
        TableActivity::vacuumAgeSeconds,
        "vacuumed",
        MIN_ROWS + " dead row versions or more");
  }

  static Finding staleAnalyze(Probe probe) throws SQLException {
    List<TableActivity> tables =
        activity(probe).stream().filter(t -> t.modifiedSinceAnalyze() >= MIN_ROWS).toList();
    return stale(
        probe,
        HealthLimit.STALE_ANALYZE,
        tables,
        TableActivity::analyzeAgeSeconds,
        "analyzed",
        MIN_ROWS + " rows or more changed since its statistics");
  }

  /** Tables with work pending whose last vacuum (or analyze) is old; never counts as a warning. */
  private static Finding stale(
      Probe probe,
      HealthLimit limit,
      List<TableActivity> tables,
      java.util.function.Function<TableActivity, Double> age,
      String done,
      String pending) {
    double oldest = 0;
    Status status = Status.OK;
    List<Map<String, Object>> items = new ArrayList<>();
    for (TableActivity t : tables) {
      Double seconds = age.apply(t);
      Status s = seconds == null ? Status.WARNING : probe.judge(limit, seconds);
      if (seconds != null) {
        oldest = Math.max(oldest, seconds);
      }
      status = status.worst(s);
      if (s != Status.OK) {
        items.add(
            Items.of(
                "table", t.table(),
                "secondsSince", seconds == null ? null : Probe.compact(seconds),
                "never", seconds == null ? true : null,
                "deadTuples", t.dead(),
                "modifiedSinceAnalyze", t.modifiedSinceAnalyze()));
      }
    }
    String message =
        items.isEmpty()
            ? "every table with "
                + pending
                + " was "
                + done
                + " recently enough"
                + (tables.isEmpty() ? " (there is none)" : "")
            : Items.count(items.size(), "table", "tables")
                + " with "
                + pending
                + (items.size() == 1 ? " was not " : " were not ")
                + done
                + " for too long or never: check that autovacuum runs, or send a vacuum/analyze";
    return probe.finding(limit, status, oldest, message, items);
  }
}
