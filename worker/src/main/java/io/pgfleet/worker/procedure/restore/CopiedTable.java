package io.pgfleet.worker.procedure.restore;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/** An ordinary table as COPY names it: its quoted name, pg_dump's column list, its pages. */
record CopiedTable(String name, String columns, long pages) {
  /**
   * The ordinary table {@code schema.table} with the columns pg_dump copies (not dropped, not
   * generated, in order), quoted by the server; empty when the server predates TID range scans
   * (14), or there is no such ordinary table.
   */
  static Optional<CopiedTable> find(Connection c, String schema, String table) throws SQLException {
    String sql =
        "SELECT current_setting('server_version_num')::int >= 140000, c.relkind = 'r',"
            + " format('%I.%I', n.nspname, c.relname),"
            + " (SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum)"
            + "  FROM pg_catalog.pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0"
            + "  AND NOT a.attisdropped AND a.attgenerated = ''),"
            + " pg_catalog.pg_relation_size(c.oid)"
            + "  / current_setting('block_size')::bigint"
            + " FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n"
            + " ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relname = ?";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, schema);
      ps.setString(2, table);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next() || !rs.getBoolean(1) || !rs.getBoolean(2)) {
          return Optional.empty();
        }
        String columns = rs.getString(4);
        return Optional.of(
            new CopiedTable(rs.getString(3), columns == null ? "" : columns, rs.getLong(5)));
      }
    }
  }
}
