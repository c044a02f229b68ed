package io.pgfleet.worker;

import io.pgfleet.local.LocalPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Table contents as fingerprints, to prove a restore brought back exactly the data. */
final class Tables {
  private Tables() {}

  /** {@code table -> md5 of every row, in a stable order} for the given tables of {@code db}. */
  static Map<String, String> fingerprints(LocalPostgres pg, String db, List<String> tables)
      throws Exception {
    Map<String, String> prints = new TreeMap<>();
    try (Connection c = pg.connect(db);
        Statement st = c.createStatement()) {
      for (String table : tables) {
        try (ResultSet rs =
            st.executeQuery(
                "SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY"
                    + " t::text)), '') FROM public."
                    + table
                    + " t")) {
          rs.next();
          prints.put(table, rs.getString(1));
        }
      }
    }
    return prints;
  }

  static long scalar(LocalPostgres pg, String db, String sql) throws Exception {
    try (Connection c = pg.connect(db);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
