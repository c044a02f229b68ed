package io.pgfleet.worker.procedure;

import io.pgfleet.worker.sql.TableRef;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/** Exact row counts of a database's own tables, and how two sets of counts differ. */
public final class RowCounts {
  /** Ordinary tables whose data pg_dump writes: not catalogs, not members of extensions. */
  public static final String USER_TABLES =
      """
      SELECT n.nspname, c.relname
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind = 'r'
        AND n.nspname NOT IN ('pg_catalog', 'information_schema')
        AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'
        AND NOT EXISTS (SELECT 1 FROM pg_depend d
                        WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                          AND d.deptype = 'e')
      ORDER BY 1, 2
      """;

  private RowCounts() {}

  /** {@code schema.table} to rows, for every user table of the connected database. */
  public static Map<String, Long> count(Connection c) throws SQLException {
    List<TableRef> tables = new ArrayList<>();
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(USER_TABLES)) {
      while (rs.next()) {
        tables.add(new TableRef(rs.getString(1), rs.getString(2)));
      }
    }
    return count(c, tables);
  }

  /** Rows of the given tables. */
  public static Map<String, Long> count(Connection c, List<TableRef> tables) throws SQLException {
    Map<String, Long> counts = new TreeMap<>();
    try (Statement st = c.createStatement()) {
      for (TableRef t : tables) {
        try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + t.sql())) {
          rs.next();
          counts.put(t.toString(), rs.getLong(1));
        }
      }
    }
    return counts;
  }

  /** Every table whose count differs, one readable line each; empty when they agree. */
  public static List<String> differences(Map<String, Long> expected, Map<String, Long> actual) {
    List<String> lines = new ArrayList<>();
    TreeSet<String> all = new TreeSet<>(expected.keySet());
    all.addAll(actual.keySet());
    for (String table : all) {
      Long want = expected.get(table);
      Long got = actual.get(table);
      if (want == null) {
        lines.add(table + ": restored with " + got + " rows but not in the manifest");
      } else if (got == null) {
        lines.add(table + ": " + want + " rows in the manifest, missing after restore");
      } else if (!want.equals(got)) {
        lines.add(table + ": " + want + " rows in the manifest, " + got + " restored");
      }
    }
    return lines;
  }
}
