package io.pgfleet.worker.procedure.health;

import io.pgfleet.commands.result.Finding;
import io.pgfleet.commands.result.Finding.Status;
import io.pgfleet.worker.config.HealthLimit;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

/** Transaction-ID age of the database against autovacuum_freeze_max_age, and the oldest tables. */
final class Wraparound {
  /** The statistic holding the database's transaction-ID age, age(datfrozenxid). */
  static final String XID_AGE = "xidAge";

  private Wraparound() {}

  static Finding check(Probe probe) throws SQLException {
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
    probe.measure(XID_AGE, age);
    List<Map<String, Object>> items = OldestTables.of(probe);
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
}
