package io.pgfleet.worker.procedure.health;

import io.pgfleet.commands.result.Finding;
import io.pgfleet.commands.result.Finding.Status;
import io.pgfleet.worker.config.HealthLimit;
import io.pgfleet.worker.procedure.maintenance.Items;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The runbooks' "REINDEX monthly, check bloat first" and "index sizes": every btree index with its
 * size and estimated bloat ({@link IndexBloatEstimate}). An index is flagged at the lower of two
 * levels, its bloat's share ({@code index-bloat}, percent) and its wasted bytes ({@code
 * index-bloat-bytes}), so a small index is not flagged for a high share of little; each flagged
 * index comes with the {@code REINDEX INDEX CONCURRENTLY} that rebuilds it (never run here; {@code
 * reindex bloated: true} runs them).
 */
final class IndexBloat {
  /** At most this many indexes are listed, flagged ones first, then the largest. */
  static final int LISTED = 50;

  private IndexBloat() {}

  static Finding check(Probe probe) throws SQLException {
    List<Map<String, Object>> items = new ArrayList<>();
    Status worst = Status.OK;
    double value = 0;
    long totalBytes = 0;
    int flagged = 0;
    List<EstimatedIndex> indexes = IndexBloatEstimate.of(probe.connection(), probe.settings());
    for (EstimatedIndex index : indexes) {
      totalBytes += index.bytes();
      if (index.estimated() && probe.notable(HealthLimit.INDEX_BLOAT_BYTES, index.bloatBytes())) {
        value = Math.max(value, index.bloatPercent()); // big enough to matter: its share counts
      }
      worst = worst.worst(index.status());
      flagged += index.flagged() ? 1 : 0;
      items.add(
          Items.of(
              "index",
              index.name(),
              "table",
              index.table(),
              "bytes",
              index.bytes(),
              "bloatBytes",
              index.bloatBytes(),
              "bloatPercent",
              index.estimated() ? Probe.compact(index.bloatPercent()) : null,
              "estimated",
              index.estimated() ? null : false,
              "status",
              index.flagged() ? index.status().wireName() : null,
              "reindex",
              index.flagged() ? "REINDEX INDEX CONCURRENTLY " + index.quoted() : null));
    }
    items.sort(Comparator.comparing((Map<String, Object> i) -> !i.containsKey("reindex")));
    long count = indexes.size();
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
                    + " INDEX CONCURRENTLY (submit reindex --index NAME, or all of them with"
                    + " submit reindex --bloated) after checking the estimate, which is as fresh"
                    + " as the last VACUUM or ANALYZE");
    return probe.finding(HealthLimit.INDEX_BLOAT, worst, value, message, items, LISTED);
  }
}
