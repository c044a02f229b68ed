package io.pgfleet.worker.procedure.vacuum;

import io.pgfleet.worker.sql.TableRef;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Dead tuples and sizes of tables, from {@code pg_stat_user_tables}, before and after a vacuum.
 * Measuring a size takes a lock, so the snapshot never waits for one: a table someone holds
 * exclusively is left unmeasured (sizes null) rather than holding up the run.
 */
record TableStats(long deadTuples, long liveTuples, Long heapBytes, Long totalBytes) {

  private static final String QUERY =
      """
      SELECT s.schemaname, s.relname, s.n_dead_tup, s.n_live_tup,
             CASE WHEN NOT locked THEN pg_relation_size(s.relid) END,
             CASE WHEN NOT locked THEN pg_total_relation_size(s.relid) END
      FROM pg_stat_user_tables s,
           LATERAL (SELECT EXISTS (SELECT 1 FROM pg_locks l WHERE l.relation = s.relid
                                   AND l.mode = 'AccessExclusiveLock')) AS x(locked)
      """;
  private static final String WITHOUT_SIZES =
      "SELECT s.schemaname, s.relname, s.n_dead_tup, s.n_live_tup, NULL, NULL"
          + " FROM pg_stat_user_tables s";
  private static final String LISTED =
      " WHERE (s.schemaname, s.relname) IN (SELECT * FROM unnest(?::text[], ?::text[]))";

  /** The given tables, or every user table when the list is empty; keyed by table. */
  static Map<TableRef, TableStats> read(Connection c, List<TableRef> tables) throws SQLException {
    String lockTimeout = setting(c, "lock_timeout");
    try {
      execute(c, "SET lock_timeout = '200ms'"); // a lock taken since the look at pg_locks
      return read(c, QUERY, tables);
    } catch (SQLException e) {
      if (!"55P03".equals(e.getSQLState())) {
        throw e;
      }
      return read(c, WITHOUT_SIZES, tables);
    } finally {
      execute(c, "SET lock_timeout = '" + lockTimeout + "'");
    }
  }

  private static Map<TableRef, TableStats> read(Connection c, String query, List<TableRef> tables)
      throws SQLException {
    Map<TableRef, TableStats> out = new LinkedHashMap<>();
    try (PreparedStatement ps = c.prepareStatement(tables.isEmpty() ? query : query + LISTED)) {
      if (!tables.isEmpty()) {
        ps.setArray(1, c.createArrayOf("text", tables.stream().map(TableRef::schema).toArray()));
        ps.setArray(2, c.createArrayOf("text", tables.stream().map(TableRef::table).toArray()));
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(
              new TableRef(rs.getString(1), rs.getString(2)),
              new TableStats(
                  rs.getLong(3),
                  rs.getLong(4),
                  rs.getObject(5, Long.class),
                  rs.getObject(6, Long.class)));
        }
      }
    }
    return out;
  }

  private static String setting(Connection c, String name) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT current_setting(?)")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    }
  }

  private static void execute(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }
}
