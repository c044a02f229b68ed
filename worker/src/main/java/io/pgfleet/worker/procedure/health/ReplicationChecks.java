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

/** Replication lag (on a primary: of its standbys; on a standby: its own) and inactive slots. */
final class ReplicationChecks {
  private ReplicationChecks() {}

  static Finding lag(Probe probe) throws SQLException {
    if (inRecovery(probe)) {
      try (Statement st = probe.connection().createStatement();
          ResultSet rs =
              st.executeQuery(
                  "SELECT coalesce(extract(epoch FROM now() - pg_last_xact_replay_timestamp()), 0)")) {
        rs.next();
        double lag = rs.getDouble(1);
        return probe.measured(
            HealthLimit.REPLICATION_LAG,
            lag,
            "this server is a standby; the last replayed transaction is "
                + Items.seconds(lag)
                + " old (on an idle primary this grows without harm)",
            List.of());
      }
    }
    List<Map<String, Object>> items = new ArrayList<>();
    double worst = 0;
    boolean hidden = false;
    try (Statement st = probe.connection().createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT application_name, client_addr::text, state,"
                    + " extract(epoch FROM replay_lag), pg_wal_lsn_diff(pg_current_wal_lsn(),"
                    + " replay_lsn) FROM pg_stat_replication")) {
      while (rs.next()) {
        Double seconds = Rows.nullableDouble(rs, 4);
        hidden |= rs.getString(3) == null;
        worst = Math.max(worst, seconds == null ? 0 : seconds);
        items.add(
            Items.of(
                "standby", rs.getString(1),
                "address", rs.getString(2),
                "state", rs.getString(3),
                "lagSeconds", seconds == null ? null : Probe.compact(seconds),
                "lagBytes", rs.getObject(5) == null ? null : rs.getLong(5)));
      }
    }
    if (items.isEmpty()) {
      return probe.finding(
          HealthLimit.REPLICATION_LAG,
          Finding.Status.OK,
          null,
          "no standby is streaming from this server",
          List.of());
    }
    if (hidden) {
      return probe.finding(
          HealthLimit.REPLICATION_LAG,
          Finding.Status.UNKNOWN,
          null,
          Items.count(items.size(), "standby", "standbys")
              + " connected, but the target's user may not see their lag: grant it"
              + " pg_read_all_stats",
          items);
    }
    return probe.measured(
        HealthLimit.REPLICATION_LAG,
        worst,
        Items.count(items.size(), "standby", "standbys")
            + ", the furthest behind by "
            + Items.seconds(worst),
        items);
  }

  static Finding slots(Probe probe) throws SQLException {
    String currentLsn = inRecovery(probe) ? "pg_last_wal_receive_lsn()" : "pg_current_wal_lsn()";
    List<Map<String, Object>> items = new ArrayList<>();
    int total = 0;
    try (Statement st = probe.connection().createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT slot_name, slot_type, database, active, pg_wal_lsn_diff("
                    + currentLsn
                    + ", restart_lsn) FROM pg_replication_slots ORDER BY 5 DESC NULLS LAST")) {
      while (rs.next()) {
        total++;
        if (!rs.getBoolean(4)) {
          items.add(
              Items.of(
                  "slot", rs.getString(1),
                  "type", rs.getString(2),
                  "database", rs.getString(3),
                  "retainedWalBytes", rs.getObject(5) == null ? null : rs.getLong(5)));
        }
      }
    }
    String message =
        items.isEmpty()
            ? total == 0
                ? "no replication slots"
                : Items.count(total, "replication slot", "replication slots") + ", all active"
            : Items.count(items.size(), "inactive replication slot", "inactive replication slots")
                + ": each keeps WAL on the server's disk until its"
                + " consumer returns; drop the slot (pg_drop_replication_slot) if it will not,"
                + " and set max_slot_wal_keep_size so that no slot can fill the disk";
    return probe.measured(HealthLimit.REPLICATION_SLOTS, items.size(), message, items);
  }

  private static boolean inRecovery(Probe probe) throws SQLException {
    try (Statement st = probe.connection().createStatement();
        ResultSet rs = st.executeQuery("SELECT pg_is_in_recovery()")) {
      rs.next();
      return rs.getBoolean(1);
    }
  }
}
