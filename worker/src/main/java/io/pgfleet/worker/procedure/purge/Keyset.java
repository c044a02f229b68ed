package io.pgfleet.worker.procedure.purge;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;

/**
 * Finds the next batch of expired rows by walking the key's unique index: the key of the n-th
 * expired row after the previous batch bounds the next one. These reads run outside the batches'
 * write transactions and lock no row.
 *
 * <p>Where a purge resumes is derived from the data itself: expired rows that an earlier attempt
 * deleted are gone, so a purge sent again starts at the first expired row left. No cursor is kept
 * anywhere that could disagree with the table after a crash between two commits.
 */
final class Keyset {
  private final Connection c;
  private final PurgeTable t;
  private final OffsetDateTime cutoff;

  Keyset(Connection c, PurgeTable t, OffsetDateTime cutoff) {
    this.c = c;
    this.t = t;
    this.cutoff = cutoff;
  }

  /** The next range holding up to {@code size} expired rows after {@code after}; null when done. */
  KeyRange next(Object after, int size) throws SQLException {
    Object last = find(after, "ORDER BY " + t.key() + " OFFSET ? LIMIT 1", size - 1);
    if (last != null) {
      return new KeyRange(after, last, false);
    }
    // Fewer than size expired rows are left: the batch ends at the last of them, and is the last.
    last = find(after, "ORDER BY " + t.key() + " DESC LIMIT 1", -1);
    return last == null ? null : new KeyRange(after, last, true);
  }

  private Object find(Object after, String order, int offset) throws SQLException {
    String sql =
        "SELECT "
            + t.key()
            + " FROM "
            + t.table().sql()
            + " WHERE "
            + (after == null ? "" : t.key() + " > ? AND ")
            + t.expired()
            + " "
            + order;
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      int i = 1;
      if (after != null) {
        ps.setObject(i++, after);
      }
      i = t.bindExpired(ps, i, cutoff);
      if (offset >= 0) {
        ps.setInt(i, offset);
      }
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getObject(1) : null;
      }
    }
  }
}
