package io.pgfleet.worker.procedure.health;

import io.pgfleet.commands.result.Finding;
import io.pgfleet.worker.config.HealthLimit;
import io.pgfleet.worker.procedure.maintenance.Items;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Invalid, unused and duplicate indexes. */
final class IndexChecks {
  private IndexChecks() {}

  static Finding invalid(Probe probe) throws SQLException {
    List<Map<String, Object>> items = new ArrayList<>();
    try (Statement st = probe.connection().createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT n.nspname || '.' || c.relname, t.relname, pg_relation_size(c.oid),"
                    + " c.relname ~ '_cc(new|old)[0-9]*$'"
                    + " FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
                    + " JOIN pg_class t ON t.oid = i.indrelid"
                    + " JOIN pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE NOT i.indisvalid ORDER BY 1")) {
      while (rs.next()) {
        items.add(
            Items.of(
                "index", rs.getString(1),
                "table", rs.getString(2),
                "bytes", rs.getLong(3),
                "leftoverOfConcurrentRebuild", rs.getBoolean(4)));
      }
    }
    String message =
        items.isEmpty()
            ? "no invalid indexes"
            : Items.count(items.size(), "invalid index", "invalid indexes")
                + ": they slow writes and serve no query. Leftovers of failed"
                + " concurrent rebuilds (_ccnew, _ccold) go with a reindex with dropInvalid; rebuild"
                + " or drop the others";
    return probe.measured(HealthLimit.INVALID_INDEXES, items.size(), message, items);
  }

  static Finding unused(Probe probe) throws SQLException {
    List<Map<String, Object>> items = new ArrayList<>();
    long largest = 0;
    int unused = 0;
    try (Statement st = probe.connection().createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT s.schemaname || '.' || s.indexrelname, s.relname,"
                    + " pg_relation_size(s.indexrelid)"
                    + " FROM pg_stat_user_indexes s JOIN pg_index i ON i.indexrelid = s.indexrelid"
                    + " WHERE s.idx_scan = 0 AND NOT i.indisunique AND NOT i.indisprimary"
                    + " AND i.indisvalid"
                    + " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid ="
                    + " s.indexrelid) ORDER BY 3 DESC")) {
      while (rs.next()) {
        unused++;
        largest = Math.max(largest, rs.getLong(3));
        if (probe.notable(HealthLimit.UNUSED_INDEXES, rs.getLong(3))) {
          items.add(
              Items.of("index", rs.getString(1), "table", rs.getString(2), "bytes", rs.getLong(3)));
        }
      }
    }
    String message =
        unused == 0
            ? "every index has been used since the statistics were last reset"
            : Items.count(unused, "index", "indexes")
                + " never scanned since the statistics were last reset, the largest "
                + Items.bytes(largest)
                + (items.isEmpty()
                    ? ""
                    : ": each costs writes and disk; drop those no query needs (check replicas"
                        + " too, their scans are not counted here)");
    return probe.measured(HealthLimit.UNUSED_INDEXES, largest, message, items);
  }

  static Finding duplicates(Probe probe) throws SQLException {
    List<Map<String, Object>> items = new ArrayList<>();
    int redundant = 0;
    try (Statement st = probe.connection().createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT n.nspname || '.' || t.relname,"
                    + " array_agg(c.relname ORDER BY i.indisprimary DESC, i.indisunique DESC,"
                    + " c.relname)"
                    + " FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
                    + " JOIN pg_class t ON t.oid = i.indrelid"
                    + " JOIN pg_namespace n ON n.oid = t.relnamespace"
                    + " WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')"
                    + " AND n.nspname !~ '^pg_toast' AND i.indisvalid"
                    + " GROUP BY n.nspname, t.relname, i.indrelid, c.relam, i.indkey::text,"
                    + " i.indclass::text, i.indcollation::text,"
                    + " coalesce(pg_get_expr(i.indexprs, i.indrelid), ''),"
                    + " coalesce(pg_get_expr(i.indpred, i.indrelid), '')"
                    + " HAVING count(*) > 1 ORDER BY 1")) {
      while (rs.next()) {
        List<String> indexes = strings(rs.getArray(2));
        redundant += indexes.size() - 1;
        items.add(Items.of("table", rs.getString(1), "indexes", indexes));
      }
    }
    String message =
        redundant == 0
            ? "no duplicate indexes"
            : Items.count(redundant, "index duplicates", "indexes duplicate")
                + " another on the same columns: keep the first of each group"
                + " (a primary key or unique one comes first) and drop the rest";
    return probe.measured(HealthLimit.DUPLICATE_INDEXES, redundant, message, items);
  }

  private static List<String> strings(Array array) throws SQLException {
    return Arrays.asList((String[]) array.getArray());
  }
}
