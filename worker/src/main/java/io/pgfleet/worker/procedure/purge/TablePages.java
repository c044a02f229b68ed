package io.pgfleet.worker.procedure.purge;

import io.pgfleet.worker.sql.TableRef;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The table's pages when the pass starts, and its rows per page by the planner's rows and pages
 * from the last VACUUM or ANALYZE: what turns the policy's row counts into pages.
 */
record TablePages(long pages, double density) {
  /** Rows per page assumed for a table never analyzed. */
  private static final double UNKNOWN_DENSITY = 100;

  static TablePages of(Connection c, TableRef table) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT pg_relation_size(oid) / current_setting('block_size')::int,"
                + " greatest(reltuples, 0)::bigint, relpages FROM pg_class WHERE oid = ?::regclass")) {
      ps.setString(1, table.sql());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        long rows = rs.getLong(2);
        long relpages = rs.getLong(3);
        return new TablePages(
            rs.getLong(1), rows > 0 && relpages > 0 ? rows / (double) relpages : UNKNOWN_DENSITY);
      }
    }
  }

  /** The pages that hold {@code rows} rows at this density; at least one. */
  int pages(int rows) {
    return (int) Math.max(1, Math.ceil(rows / density));
  }
}
