package io.pgfleet.worker.procedure.vacuum;

import io.pgfleet.commands.result.ErrorCode;
import io.pgfleet.worker.failure.ProcedureFailure;
import io.pgfleet.worker.procedure.maintenance.Items;
import io.pgfleet.worker.sql.TableRef;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Optional;

/**
 * Whether the server visibly has room for VACUUM FULL, which writes a complete new copy of a table
 * and its indexes before it drops the old one.
 *
 * <p>PostgreSQL has no SQL function for free disk space. The worker can see it only where the
 * server's data directory is visible on its own file system (the same machine or a shared volume):
 * it asks the server where its data directory is (superuser or {@code pg_read_all_settings}), and
 * trusts the local path only when its {@code global/pg_control} carries the server's own system
 * identifier. Anywhere else it says that it could not check, and does not guess.
 */
public final class DiskSpace {
  private DiskSpace() {}

  /**
   * Fails with {@code INSUFFICIENT_DISK} when the biggest table to rewrite is larger than the free
   * space; otherwise returns what was checked, or why nothing could be.
   */
  static String requireRoomFor(Connection c, Map<TableRef, TableStats> tables)
      throws ProcedureFailure, SQLException {
    Map.Entry<TableRef, TableStats> biggest =
        tables.entrySet().stream()
            .max(
                Map.Entry.comparingByValue(
                    java.util.Comparator.comparingLong(TableStats::totalBytes)))
            .orElse(null);
    if (biggest == null) {
      return "not needed: no table to rewrite";
    }
    Optional<Path> dataDir;
    try {
      dataDir = visibleDataDirectory(c);
    } catch (SQLException e) {
      if ("42501".equals(e.getSQLState())) {
        return "not checked: the target's user may not read data_directory (grant it"
            + " pg_read_all_settings to let pgfleet check free disk before vacuum full)";
      }
      throw e;
    }
    if (dataDir.isEmpty()) {
      return "not checked: the server's data directory is not visible from this worker";
    }
    long free;
    try {
      free = Files.getFileStore(dataDir.get()).getUsableSpace();
    } catch (IOException e) {
      return "not checked: cannot read free space of " + dataDir.get() + ": " + e.getMessage();
    }
    long needed = biggest.getValue().totalBytes();
    Optional<String> shortfall = shortfall(free, needed, biggest.getKey(), dataDir.get());
    if (shortfall.isPresent()) {
      throw new ProcedureFailure(ErrorCode.INSUFFICIENT_DISK, shortfall.get());
    }
    return "checked: "
        + Items.bytes(free)
        + " free at "
        + dataDir.get()
        + ", the largest table ("
        + biggest.getKey()
        + ") needs about "
        + Items.bytes(needed);
  }

  /** Why a rewrite of {@code needed} bytes does not fit in {@code free}, if it does not. */
  static Optional<String> shortfall(long free, long needed, TableRef table, Path where) {
    if (free >= needed) {
      return Optional.empty();
    }
    return Optional.of(
        "vacuum full of "
            + table
            + " writes a new copy of it and its indexes, about "
            + Items.bytes(needed)
            + ", but only "
            + Items.bytes(free)
            + " is free at "
            + where
            + ": free disk space first, or vacuum without full");
  }

  /** The server's data directory as seen from here, if it is the server's own. */
  public static Optional<Path> visibleDataDirectory(Connection c) throws SQLException {
    String dataDirectory;
    long systemId;
    try (Statement st = c.createStatement()) {
      try (ResultSet rs = st.executeQuery("SELECT current_setting('data_directory')")) {
        rs.next();
        dataDirectory = rs.getString(1);
      }
      try (ResultSet rs = st.executeQuery("SELECT system_identifier FROM pg_control_system()")) {
        rs.next();
        systemId = rs.getLong(1);
      }
    }
    Path dir = Path.of(dataDirectory);
    return systemIdentifier(dir.resolve("global").resolve("pg_control"))
        .filter(id -> id == systemId)
        .map(id -> dir);
  }

  /** The first field of pg_control: the cluster's system identifier, in host byte order. */
  private static Optional<Long> systemIdentifier(Path pgControl) {
    try (InputStream in = Files.newInputStream(pgControl)) {
      byte[] head = in.readNBytes(8);
      if (head.length < 8) {
        return Optional.empty();
      }
      return Optional.of(ByteBuffer.wrap(head).order(ByteOrder.nativeOrder()).getLong());
    } catch (IOException | SecurityException e) {
      return Optional.empty();
    }
  }
}
