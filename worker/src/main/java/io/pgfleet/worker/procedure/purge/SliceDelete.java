package io.pgfleet.worker.procedure.purge;

import io.pgfleet.worker.config.PurgePolicy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;

/** Deletes a slice's expired rows (copying them to the archive table first, if any). */
final class SliceDelete {
  private final PurgeTable t;
  private final OffsetDateTime cutoff;
  private final String sql;
  private final boolean archive;

  SliceDelete(PurgeTable t, OffsetDateTime cutoff) {
    this.t = t;
    this.cutoff = cutoff;
    this.sql = statement(t);
    this.archive = t.policy().archive().kind() == PurgePolicy.Archive.Kind.TABLE;
  }

  /** Purges pages {@code from} to {@code to} (excluded); the rows deleted and archived. */
  long[] run(Connection c, long from, long to) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, "(" + from + ",0)");
      ps.setString(2, "(" + to + ",0)");
      t.bindExpired(ps, 3, cutoff);
      if (!archive) {
        return new long[] {ps.executeUpdate(), 0};
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new long[] {rs.getLong(1), rs.getLong(2)};
      }
    }
  }

  private static String statement(PurgeTable t) {
    String range = "ctid >= ?::tid AND ctid < ?::tid";
    if (t.policy().archive().kind() != PurgePolicy.Archive.Kind.TABLE) {
      // its count is the update count: no RETURNING rows to collect
      return Disposal.deleteExpired(t, range);
    }
    return "WITH "
        + Disposal.moveExpired(t, range)
        + " SELECT (SELECT count(*) FROM gone), (SELECT count(*) FROM kept)";
  }
}
