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

/** Dead tuples, statistics and vacuum freshness of the user tables, from pg_stat_user_tables. */
final class TableChecks {
  /** Below this many dead or changed rows a table is too small to worry about. */
  static final long MIN_ROWS = 1000;

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
    List<TableActivity> tables =
        activity(probe).stream()
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

  static Finding wraparound(Probe probe) throws SQLException {
    long age;
    long freezeMaxAge;
    try (Statement st = probe.connection().createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT age(datfrozenxid), current_setting('autovacuum_freeze_max_age')::bigint"
                    + " FROM pg_database WHERE datname = current_database()")) {
      rs.next();
      age = rs.getLong(1);
      freezeMaxAge = rs.getLong(2);
    }
    List<Map<String, Object>> items = new ArrayList<>();
    try (Statement st = probe.connection().createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT n.nspname || '.' || c.relname, age(c.relfrozenxid) FROM pg_class c"
                    + " JOIN pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE c.relkind IN ('r', 'm', 't') ORDER BY 2 DESC LIMIT 5")) {
      while (rs.next()) {
        items.add(Items.of("table", rs.getString(1), "xidAge", rs.getLong(2)));
      }
    }
    double percent = 100.0 * age / freezeMaxAge;
    Status status = probe.judge(HealthLimit.WRAPAROUND, percent);
    if (age >= HARD_LIMIT_WARNING) {
      status = Status.CRITICAL;
    }
    String message =
        String.format(
                java.util.Locale.ROOT,
                "transaction-ID age of the database is %d, %.1f%% of autovacuum_freeze_max_age"
                    + " %d (PostgreSQL stops accepting writes near 2.1 billion)",
                age,
                percent,
                freezeMaxAge)
            + (status == Status.OK
                ? ""
                : ": vacuum (freeze) the oldest tables listed, and find what holds vacuum back");
    return probe.finding(HealthLimit.WRAPAROUND, status, percent, message, items);
  }

  /** check_postgres' critical default: this close to 2^31, whatever the settings say. */
  private static final long HARD_LIMIT_WARNING = 1_400_000_000L;

  static Finding tableSize(Probe probe) throws SQLException {
    List<Map<String, Object>> items = new ArrayList<>();
    long largest = 0;
    String largestName = null;
    try (Statement st = probe.connection().createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT n.nspname || '.' || c.relname, pg_total_relation_size(c.oid)"
                    + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE c.relkind IN ('r', 'm')"
                    + " AND n.nspname NOT IN ('pg_catalog', 'information_schema')"
                    + " AND n.nspname !~ '^pg_toast' ORDER BY 2 DESC LIMIT 50")) {
      while (rs.next()) {
        if (largestName == null) {
          largestName = rs.getString(1);
          largest = rs.getLong(2);
        }
        if (probe.notable(HealthLimit.TABLE_SIZE, rs.getLong(2))) {
          items.add(Items.of("table", rs.getString(1), "bytes", rs.getLong(2)));
        }
      }
    }
    String message =
        largestName == null
            ? "no tables"
            : "the largest table is "
                + largestName
                + " with "
                + Items.bytes(largest)
                + " (indexes and TOAST included)"
                + (items.isEmpty()
                    ? ""
                    : "; "
                        + Items.count(items.size(), "table", "tables")
                        + " past the threshold: consider partitioning or a purge");
    return probe.measured(HealthLimit.TABLE_SIZE, largest, message, items);
  }
}
