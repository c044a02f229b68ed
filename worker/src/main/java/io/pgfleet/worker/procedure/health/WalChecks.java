package io.pgfleet.worker.procedure.health;

import io.pgfleet.commands.result.Finding;
import io.pgfleet.worker.config.HealthLimit;
import io.pgfleet.worker.procedure.maintenance.Items;
import io.pgfleet.worker.procedure.maintenance.Rows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where the server's WAL goes: the size of pg_wal, an archiver that fails or falls behind, and the
 * WAL each replication slot holds back (the runbooks' "check WAL size" and "disk space issues").
 */
final class WalChecks {
  private WalChecks() {}

  /** pg_ls_waldir() needs pg_monitor (or superuser); without it the finding says so. */
  static Finding walSize(Probe probe) throws SQLException {
    try (Statement st = probe.connection().createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT coalesce(sum(size), 0), count(*), current_setting('max_wal_size'),"
                    + " current_setting('wal_keep_size') FROM pg_ls_waldir()")) {
      rs.next();
      long bytes = rs.getLong(1);
      return probe.measured(
          HealthLimit.WAL_SIZE,
          bytes,
          "pg_wal holds "
              + Items.bytes(bytes)
              + " in "
              + Items.count(rs.getLong(2), "file", "files")
              + " (max_wal_size "
              + rs.getString(3)
              + ", wal_keep_size "
              + rs.getString(4)
              + ")"
              + (probe.notable(HealthLimit.WAL_SIZE, bytes)
                  ? ": WAL is kept by replication slots, a failing archiver or wal_keep_size (see"
                      + " archiver and slot-retained-wal); pg_switch_wal() does not shrink it"
                  : ""),
          List.of());
    }
  }

  /** Failing now (the last failure is newer than the last success), or segments piling up. */
  static Finding archiver(Probe probe) throws SQLException {
    try (Statement st = probe.connection().createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT current_setting('archive_mode'), archived_count, failed_count,"
                    + " last_archived_wal, last_archived_time::text, last_failed_wal,"
                    + " last_failed_time::text, last_failed_time > coalesce(last_archived_time,"
                    + " '-infinity') FROM pg_stat_archiver")) {
      rs.next();
      if ("off".equals(rs.getString(1))) {
        return probe.finding(
            HealthLimit.ARCHIVER,
            Finding.Status.OK,
            null,
            "archive_mode is off: WAL is not archived (no point-in-time recovery)",
            List.of());
      }
      Map<String, Object> item =
          Items.of(
              "archived", rs.getLong(2),
              "failed", rs.getLong(3),
              "lastArchivedWal", rs.getString(4),
              "lastArchivedAt", rs.getString(5),
              "lastFailedWal", rs.getString(6),
              "lastFailedAt", rs.getString(7));
      boolean failing = rs.getBoolean(8);
      long ready = readySegments(probe);
      if (failing) {
        return probe.finding(
            HealthLimit.ARCHIVER,
            Finding.Status.CRITICAL,
            (double) ready,
            "archive_command is failing (last failure "
                + rs.getString(7)
                + " on "
                + rs.getString(6)
                + ", "
                + ready
                + " segments waiting): pg_wal grows until it succeeds; read the server log for"
                + " archive_command's error",
            List.of(item));
      }
      return probe.measured(
          HealthLimit.ARCHIVER,
          ready,
          Items.count(ready, "segment", "segments") + " waiting to be archived",
          List.of(item));
    }
  }

  private static long readySegments(Probe probe) throws SQLException {
    try (Statement st = probe.connection().createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT count(*) FROM pg_ls_archive_statusdir() WHERE name LIKE '%.ready'")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Every slot, active or not: an active slot whose consumer lags holds WAL too. */
  static Finding slotRetainedWal(Probe probe) throws SQLException {
    List<Map<String, Object>> items = new ArrayList<>();
    double worst = 0;
    boolean lost = false;
    try (Statement st = probe.connection().createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT slot_name, slot_type, active, wal_status,"
                    + " pg_wal_lsn_diff(CASE WHEN pg_is_in_recovery() THEN"
                    + " pg_last_wal_receive_lsn() ELSE pg_current_wal_lsn() END, restart_lsn)"
                    + " FROM pg_replication_slots ORDER BY 5 DESC NULLS LAST")) {
      while (rs.next()) {
        Double retained = Rows.nullableDouble(rs, 5);
        worst = Math.max(worst, retained == null ? 0 : retained);
        lost |= "lost".equals(rs.getString(4));
        items.add(
            Items.of(
                "slot", rs.getString(1),
                "type", rs.getString(2),
                "active", rs.getBoolean(3),
                "walStatus", rs.getString(4),
                "retainedWalBytes", retained == null ? null : retained.longValue()));
      }
    }
    if (items.isEmpty()) {
      return probe.finding(
          HealthLimit.SLOT_RETAINED_WAL, Finding.Status.OK, 0.0, "no replication slots", List.of());
    }
    String message =
        Items.count(items.size(), "replication slot", "replication slots")
            + ", the one furthest behind holds "
            + Items.bytes((long) worst)
            + " of WAL"
            + (lost ? "; a slot has lost WAL it needs: its consumer must be re-seeded" : "");
    Finding f = probe.measured(HealthLimit.SLOT_RETAINED_WAL, worst, message, items);
    return lost
        ? probe.finding(
            HealthLimit.SLOT_RETAINED_WAL, Finding.Status.CRITICAL, worst, message, items)
        : f;
  }
}
