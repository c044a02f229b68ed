package io.pgfleet.worker.procedure.health;

import io.pgfleet.commands.result.Finding;
import io.pgfleet.commands.result.Finding.Status;
import io.pgfleet.worker.config.HealthLimit;
import io.pgfleet.worker.procedure.maintenance.Items;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The runbooks' "REINDEX monthly, check bloat first" and "index sizes": every btree index with its
 * size and estimated bloat ({@link BtreeBloatQuery}). An index is flagged at the lower of two
 * levels, its bloat's share ({@code index-bloat}, percent) and its wasted bytes ({@code
 * index-bloat-bytes}), so a small index is not flagged for a high share of little; each flagged
 * index comes with the {@code REINDEX INDEX CONCURRENTLY} that rebuilds it (never run here).
 */
final class IndexBloat {
  /** At most this many indexes are listed, flagged ones first, then the largest. */
  static final int LISTED = 50;

  private IndexBloat() {}

  static Finding check(Probe probe) throws SQLException {
    List<Map<String, Object>> items = new ArrayList<>();
    Status worst = Status.OK;
    double value = 0;
    long count = 0;
    long totalBytes = 0;
    int flagged = 0;
    try (Statement st = probe.connection().createStatement();
        ResultSet rs = st.executeQuery(BtreeBloatQuery.SQL)) {
      while (rs.next()) {
        count++;
        totalBytes += rs.getLong(4);
        Long bloatBytes = rs.getObject(5, Long.class);
        Double percent = rs.getObject(6, Double.class);
        Status status = bloatBytes == null ? Status.OK : status(probe, percent, bloatBytes);
        if (bloatBytes != null && probe.notable(HealthLimit.INDEX_BLOAT_BYTES, bloatBytes)) {
          value = Math.max(value, percent); // big enough to matter: its share is the value
        }
        worst = worst.worst(status);
        flagged += status == Status.OK ? 0 : 1;
        items.add(
            Items.of(
                "index",
                rs.getString(1),
                "table",
                rs.getString(2),
                "bytes",
                rs.getLong(4),
                "bloatBytes",
                bloatBytes,
                "bloatPercent",
                percent == null ? null : Probe.compact(percent),
                "estimated",
                bloatBytes == null ? false : null,
                "status",
                status == Status.OK ? null : status.wireName(),
                "reindex",
                status == Status.OK ? null : "REINDEX INDEX CONCURRENTLY " + rs.getString(3)));
      }
    }
    items.sort(Comparator.comparing((Map<String, Object> i) -> !i.containsKey("reindex")));
    String message =
        Items.count(count, "btree index", "btree indexes")
            + " take "
            + Items.bytes(totalBytes)
            + (count > LISTED ? " (the " + LISTED + " largest or most bloated listed)" : "")
            + (flagged == 0
                ? "; none estimated bloated past the thresholds"
                : "; "
                    + flagged
                    + " estimated bloated past the thresholds: rebuild each with its REINDEX"
                    + " INDEX CONCURRENTLY (submit reindex --index NAME) after checking the"
                    + " estimate, which is as fresh as the last VACUUM or ANALYZE");
    return probe.finding(HealthLimit.INDEX_BLOAT, worst, value, message, items, LISTED);
  }

  /** The lower of the two levels: both the share and the wasted bytes must reach it. */
  private static Status status(Probe probe, double percent, long bloatBytes) {
    Status byShare = probe.judge(HealthLimit.INDEX_BLOAT, percent);
    Status byBytes = probe.judge(HealthLimit.INDEX_BLOAT_BYTES, bloatBytes);
    return byShare.worst(byBytes) == byShare ? byBytes : byShare;
  }
}
