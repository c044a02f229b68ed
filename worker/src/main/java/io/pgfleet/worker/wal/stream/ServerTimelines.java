package io.pgfleet.worker.wal.stream;

import io.pgfleet.worker.wal.WalArchive;
import io.pgfleet.worker.wal.WalFileName;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/**
 * The timeline a server writes and its history, read over a replication connection
 * (IDENTIFY_SYSTEM, TIMELINE_HISTORY). After a promotion the server's timeline is above 1: recovery
 * with {@code recovery_target_timeline = latest} finds the newest timeline by fetching {@code
 * 00000002.history}, {@code 00000003.history}, ... in turn, so every history file the server has
 * goes into the archive before any WAL of that timeline does.
 */
final class ServerTimelines {
  private ServerTimelines() {}

  /** The server's timeline now (on a standby: the one it replays). */
  static int current(Connection replication) throws SQLException {
    try (Statement st = replication.createStatement();
        ResultSet rs = st.executeQuery("IDENTIFY_SYSTEM")) {
      rs.next();
      return rs.getInt("timeline");
    }
  }

  /** Archives the history files of timelines 2 to the server's current one; returns its history. */
  static TimelineHistory archive(Connection replication, WalArchive archive) throws SQLException {
    int current = current(replication);
    if (current == 1) {
      return TimelineHistory.first();
    }
    for (int tli = 2; tli < current; tli++) {
      // an ancestor's file may be missing on this server: the current one still lists it
      Optional<byte[]> ancestor = history(replication, tli);
      if (ancestor.isPresent()) {
        archive.push(historyFile(tli), ancestor.get());
      }
    }
    byte[] content =
        history(replication, current)
            .orElseThrow(
                () -> new SQLException("the server has no history of timeline " + current));
    archive.push(historyFile(current), content);
    return TimelineHistory.parse(current, new String(content, StandardCharsets.UTF_8));
  }

  static WalFileName historyFile(int tli) {
    return new WalFileName(String.format("%08X.history", tli));
  }

  private static Optional<byte[]> history(Connection replication, int tli) throws SQLException {
    try (Statement st = replication.createStatement();
        ResultSet rs = st.executeQuery("TIMELINE_HISTORY " + tli)) {
      if (!rs.next()) {
        return Optional.empty();
      }
      return Optional.of(rs.getString("content").getBytes(StandardCharsets.UTF_8));
    } catch (SQLException e) {
      if ("58P01".equals(e.getSQLState())) { // undefined_file: pruned or never fetched
        return Optional.empty();
      }
      throw e;
    }
  }
}
