package io.pgfleet.worker.procedure.purge;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Objects;

/**
 * Cuts the key range of the expired rows into batches along the key's unique index. At the start,
 * two reads find the first and the last expired key. Each batch's own statement then finds where it
 * ends, {@code size} entries further in the index (an index-only read that filters no row), and
 * handles the expired rows up to there: one round trip per batch.
 *
 * <p>Where a purge resumes is derived from the data itself: expired rows that an earlier attempt
 * deleted are gone, so a purge sent again starts at the first expired row left. No cursor is kept
 * anywhere that could disagree with the table after a crash between two commits.
 */
final class Keyset {
  private final Connection c;
  private final PurgeTable t;
  private final OffsetDateTime cutoff;
  private Object from;
  private boolean inclusive = true;
  private Object last;
  private boolean done;

  Keyset(Connection c, PurgeTable t, OffsetDateTime cutoff) {
    this.c = c;
    this.t = t;
    this.cutoff = cutoff;
  }

  /** Finds the first and the last expired key; false when no row is expired. */
  boolean start() throws SQLException {
    from = expiredKey("");
    last = from == null ? null : expiredKey(" DESC");
    done = from == null;
    return !done;
  }

  boolean done() {
    return done;
  }

  /**
   * A CTE {@code upto(k)} holding the key where the next batch ends: {@code size} keys on, or the
   * last expired key if that comes first. Bind with {@link #bindUpto}.
   */
  String upto() {
    String k = t.key();
    return "upto AS (SELECT coalesce((SELECT "
        + k
        + " FROM "
        + t.table().sql()
        + " WHERE "
        + new KeyRange(from, inclusive, last, false).condition(k)
        + " ORDER BY "
        + k
        + " OFFSET ? LIMIT 1), ?) AS k)";
  }

  int bindUpto(PreparedStatement ps, int index, int size) throws SQLException {
    index = new KeyRange(from, inclusive, last, false).bind(ps, index);
    ps.setInt(index++, size - 1);
    ps.setObject(index++, last);
    return index;
  }

  /**
   * {@code keyExpression} within the next batch (needs {@link #upto}); bind with {@link #bindIn}.
   */
  String in(String keyExpression) {
    return keyExpression
        + (inclusive ? " >= ?" : " > ?")
        + " AND "
        + keyExpression
        + " <= (SELECT k FROM upto)";
  }

  int bindIn(PreparedStatement ps, int index) throws SQLException {
    ps.setObject(index++, from);
    return index;
  }

  /** Moves past the batch that ended at {@code upto}, once it committed; returns its range. */
  KeyRange advance(Object upto) {
    KeyRange range = new KeyRange(from, inclusive, upto, Objects.equals(upto, last));
    from = upto;
    inclusive = false;
    done = range.end();
    return range;
  }

  private Object expiredKey(String direction) throws SQLException {
    String sql =
        "SELECT "
            + t.key()
            + " FROM "
            + t.table().sql()
            + " WHERE "
            + t.expired()
            + " ORDER BY "
            + t.key()
            + direction
            + " LIMIT 1";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      t.bindExpired(ps, 1, cutoff);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getObject(1) : null;
      }
    }
  }
}
