package io.pgfleet.worker.procedure.reindex;

import io.pgfleet.commands.ReindexParams;
import io.pgfleet.worker.procedure.health.EstimatedIndex;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The statistics of {@link BloatedReindex}: per index, what was rebuilt and what was skipped. */
final class BloatedReport {
  private static final int MAX_LISTED = 50;

  private final ReindexParams params;
  private final List<EstimatedIndex> flagged;
  private final List<EstimatedIndex> skipped;
  private final List<Map<String, Object>> rebuilt = new ArrayList<>();
  private final List<String> droppedLeftovers = new ArrayList<>();
  private long bytesBefore;
  private long bytesAfter;

  BloatedReport(ReindexParams params, List<EstimatedIndex> estimate) {
    this.params = params;
    this.flagged = estimate.stream().filter(EstimatedIndex::flagged).toList();
    this.skipped = estimate.stream().filter(i -> !i.flagged()).toList();
  }

  List<EstimatedIndex> flagged() {
    return flagged;
  }

  void rebuilt(EstimatedIndex index, ReindexReport report) {
    long after = report.bytesAfter(index.index());
    bytesBefore += index.bytes();
    bytesAfter += Math.max(after, 0);
    droppedLeftovers.addAll(report.droppedLeftovers());
    Map<String, Object> item = estimated(index);
    item.put("bytesBefore", index.bytes());
    item.put("bytesAfter", after);
    item.put("attempts", report.attempts());
    rebuilt.add(item);
  }

  /** Appended to a failure: what had been rebuilt when it happened. */
  String rebuiltSoFar() {
    return ". Rebuilt before the failure: "
        + (rebuilt.isEmpty() ? "none" : rebuilt.stream().map(i -> i.get("index")).toList());
  }

  Map<String, Object> statistics() {
    Map<String, Object> stats = new LinkedHashMap<>();
    stats.put("scope", "indexes estimated bloated (index-bloat)");
    stats.put("concurrently", params.concurrently());
    stats.put("indexesEstimated", flagged.size() + skipped.size());
    stats.put("indexesFlagged", flagged.size());
    if (params.dryRun()) {
      stats.put("dryRun", true);
      stats.put("wouldRebuild", capped(flagged.stream().map(this::wouldRebuild).toList()));
    } else {
      stats.put("indexesRebuilt", rebuilt.size());
      stats.put("rebuilt", capped(rebuilt));
      stats.put("bytesBefore", bytesBefore);
      stats.put("bytesAfter", bytesAfter);
      stats.put("droppedLeftovers", capped(droppedLeftovers));
    }
    stats.put("indexesSkipped", skipped.size());
    stats.put("skipped", capped(skipped.stream().map(BloatedReport::skipped).toList()));
    return stats;
  }

  private Map<String, Object> wouldRebuild(EstimatedIndex index) {
    Map<String, Object> item = estimated(index);
    item.put("bytes", index.bytes());
    item.put(
        "reindex",
        "REINDEX INDEX " + (params.concurrently() ? "CONCURRENTLY " : "") + index.quoted());
    return item;
  }

  private static Map<String, Object> skipped(EstimatedIndex index) {
    Map<String, Object> item = estimated(index);
    item.put("bytes", index.bytes());
    item.put(
        "reason",
        index.estimated()
            ? "under the index-bloat thresholds"
            : "not estimated (no statistics: ANALYZE its table)");
    return item;
  }

  private static Map<String, Object> estimated(EstimatedIndex index) {
    Map<String, Object> item = new LinkedHashMap<>();
    item.put("index", index.name());
    item.put("table", index.table());
    if (index.estimated()) {
      item.put("bloatBytes", index.bloatBytes());
      item.put("bloatPercent", Math.round(index.bloatPercent() * 100) / 100.0);
    }
    return item;
  }

  private static <T> List<T> capped(List<T> items) {
    return List.copyOf(items.subList(0, Math.min(MAX_LISTED, items.size())));
  }
}
