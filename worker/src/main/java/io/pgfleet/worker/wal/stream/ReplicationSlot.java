package io.pgfleet.worker.wal.stream;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.OptionalLong;

/**
 * A target's physical replication slot: the server keeps every WAL segment from the slot's {@code
 * restart_lsn} on, so no WAL is lost while no streamer runs. The streamer moves it forward only
 * once a segment is in the archive.
 */
final class ReplicationSlot {
  private static final String DUPLICATE = "42710";

  private final String name;

  ReplicationSlot(String name) {
    this.name = name;
  }

  String name() {
    return name;
  }

  /** Creates the slot, reserving WAL at once, unless it exists; returns its restart LSN. */
  long ensure(Connection c) throws SQLException {
    OptionalLong restart = restartLsn(c);
    if (restart.isPresent()) {
      return restart.getAsLong();
    }
    try (PreparedStatement ps =
        c.prepareStatement("SELECT pg_create_physical_replication_slot(?, true)")) {
      ps.setString(1, name);
      ps.execute();
    } catch (SQLException e) {
      if (!DUPLICATE.equals(e.getSQLState())) {
        throw e;
      }
    }
    return restartLsn(c).orElseThrow(() -> new SQLException("slot " + name + " has no WAL"));
  }

  /** The slot's restart LSN; empty when there is no such slot (or it reserves nothing). */
  OptionalLong restartLsn(Connection c) throws SQLException {
    return number(
        c,
        "SELECT pg_wal_lsn_diff(restart_lsn, '0/0')::bigint FROM pg_replication_slots"
            + " WHERE slot_name = ? AND restart_lsn IS NOT NULL");
  }

  /** Bytes of WAL the server keeps for this slot; empty when there is no such slot. */
  OptionalLong retainedBytes(Connection c) throws SQLException {
    return number(
        c,
        "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::bigint"
            + " FROM pg_replication_slots WHERE slot_name = ? AND restart_lsn IS NOT NULL");
  }

  /** Drops the slot if it exists; true when it did. */
  boolean drop(Connection c) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots"
                + " WHERE slot_name = ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  static long segmentSize(Connection c) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT setting::bigint FROM pg_settings WHERE name = ?"); ) {
      ps.setString(1, "wal_segment_size");
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private OptionalLong number(Connection c, String sql) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
      }
    }
  }
}
