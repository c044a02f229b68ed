package io.pgfleet.worker.procedure.health;

import io.pgfleet.commands.result.Finding;
import io.pgfleet.worker.config.HealthLimit;
import io.pgfleet.worker.procedure.maintenance.Items;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The database's size and its growth since the previous check of the target. */
final class SizeChecks {
  private SizeChecks() {}

  static long databaseBytes(Probe probe) throws SQLException {
    try (Statement st = probe.connection().createStatement();
        ResultSet rs = st.executeQuery("SELECT pg_database_size(current_database())")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static Finding databaseSize(Probe probe) throws SQLException {
    long bytes = databaseBytes(probe);
    String message = "the database takes " + Items.bytes(bytes);
    if (probe.notable(HealthLimit.DATABASE_SIZE, bytes)) {
      message += ", past the threshold: purge, archive or plan more disk";
    }
    return probe.measured(HealthLimit.DATABASE_SIZE, bytes, message, List.of());
  }

  static Finding databaseGrowth(Probe probe) throws SQLException {
    long bytes = databaseBytes(probe);
    Optional<HealthHistory.Snapshot> previous = probe.previous();
    if (previous.isEmpty() || previous.get().databaseBytes() <= 0) {
      return probe.finding(
          HealthLimit.DATABASE_GROWTH,
          Finding.Status.OK,
          null,
          "no earlier health check of this target to compare with: growth is measured from the"
              + " next one on",
          List.of());
    }
    HealthHistory.Snapshot before = previous.get();
    long grown = bytes - before.databaseBytes();
    double percent = 100.0 * grown / before.databaseBytes();
    Duration since = Duration.between(before.at(), probe.now());
    double days = Math.max(since.toSeconds(), 1) / 86400.0;
    String message =
        String.format(
            java.util.Locale.ROOT,
            "%s %s (%+.1f%%) since the last check %s ago, about %s per day; now %s",
            grown >= 0 ? "grew by" : "shrank by",
            Items.bytes(Math.abs(grown)),
            percent,
            Items.seconds(since.toSeconds()),
            Items.bytes(Math.round(grown / days)),
            Items.bytes(bytes));
    return probe.measured(
        HealthLimit.DATABASE_GROWTH,
        percent,
        message,
        List.of(
            Items.of(
                "previousBytes", before.databaseBytes(),
                "previousAt", before.at().toString(),
                "bytes", bytes,
                "grownBytes", grown,
                "bytesPerDay", Math.round(grown / days))));
  }
}
