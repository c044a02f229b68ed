package io.pgfleet.worker.procedure.health;

import io.pgfleet.worker.procedure.maintenance.Items;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The five tables (and materialized views, TOAST tables) with the oldest transaction IDs: the ones
 * to vacuum (freeze) first when the database nears wraparound.
 */
final class OldestTables {
  private OldestTables() {}

  static List<Map<String, Object>> of(Probe probe) throws SQLException {
    List<Map<String, Object>> items = new ArrayList<>();
    try (Statement st = probe.connection().createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT n.nspname || '.' || c.relname, age(c.relfrozenxid) FROM pg_class c"
                    + " JOIN pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE c.relkind IN ('r', 'm', 't') ORDER BY 2 DESC LIMIT 5")) {
      while (rs.next()) {
        items.add(Items.of("table", rs.getString(1), "xidAge", rs.getLong(2)));
      }
    }
    return items;
  }
}
