package io.pgfleet.worker.procedure.health;

import io.pgfleet.commands.result.Finding;
import io.pgfleet.worker.config.HealthLimit;
import io.pgfleet.worker.procedure.maintenance.Items;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The runbooks' "table statistics": every table by total size (indexes and TOAST included), largest
 * first, judged by the largest.
 */
final class TableSizes {
  /** At most this many tables are listed; the message counts the rest. */
  static final int LISTED = 50;

  private TableSizes() {}

  static Finding check(Probe probe) throws SQLException {
    List<Map<String, Object>> items = new ArrayList<>();
    int over = 0;
    long tables = 0;
    long allBytes = 0;
    long listedBytes = 0;
    try (PreparedStatement ps =
        probe
            .connection()
            .prepareStatement(
                "SELECT n.nspname || '.' || c.relname, pg_total_relation_size(c.oid),"
                    + " count(*) OVER (), sum(pg_total_relation_size(c.oid)) OVER ()"
                    + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE c.relkind IN ('r', 'm')"
                    + " AND n.nspname NOT IN ('pg_catalog', 'information_schema')"
                    + " AND n.nspname !~ '^pg_toast' ORDER BY 2 DESC, 1 LIMIT ?")) {
      ps.setInt(1, LISTED);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long bytes = rs.getLong(2);
          boolean notable = probe.notable(HealthLimit.TABLE_SIZE, bytes);
          over += notable ? 1 : 0;
          tables = rs.getLong(3);
          allBytes = rs.getLong(4);
          listedBytes += bytes;
          items.add(
              Items.of(
                  "table",
                  rs.getString(1),
                  "bytes",
                  bytes,
                  "overThreshold",
                  notable ? true : null));
        }
      }
    }
    if (items.isEmpty()) {
      return probe.measured(HealthLimit.TABLE_SIZE, 0, "no tables", items);
    }
    long largest = (Long) items.get(0).get("bytes");
    String message =
        "the largest table is "
            + items.get(0).get("table")
            + " with "
            + Items.bytes(largest)
            + " (indexes and TOAST included); "
            + Items.count(tables, "table", "tables")
            + " take "
            + Items.bytes(allBytes)
            + (tables > items.size()
                ? ", the "
                    + items.size()
                    + " largest listed (the other "
                    + (tables - items.size())
                    + " take "
                    + Items.bytes(allBytes - listedBytes)
                    + ")"
                : ", all listed largest first")
            + (over == 0
                ? ""
                : "; "
                    + Items.count(over, "table", "tables")
                    + " past the threshold: consider partitioning or a purge");
    return probe.measured(HealthLimit.TABLE_SIZE, largest, message, items, LISTED);
  }
}
