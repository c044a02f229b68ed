package io.pgfleet.worker.procedure.vacuum;

import io.pgfleet.commands.VacuumParams;
import io.pgfleet.worker.procedure.maintenance.Items;
import io.pgfleet.worker.sql.TableRef;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The statistics of a vacuum run: totals, and the tables with the most dead tuples. */
final class VacuumReport {
  static final int MAX_TABLES = 20;

  private VacuumReport() {}

  static Map<String, Object> statistics(
      VacuumParams params,
      List<TableRef> listed,
      Map<TableRef, TableStats> before,
      Map<TableRef, TableStats> after,
      VacuumOutput output,
      String diskCheck) {
    Map<String, Object> stats = new LinkedHashMap<>();
    stats.put("scope", listed.isEmpty() ? "database" : "tables");
    stats.put("tables", before.size());
    stats.put("analyze", params.analyze());
    stats.put("freeze", params.freeze());
    stats.put("full", params.full());
    stats.put("deadTuplesBefore", sum(before, TableStats::deadTuples));
    stats.put("deadTuplesAfter", sum(after, TableStats::deadTuples));
    stats.put("tuplesRemoved", output.tuplesRemoved());
    stats.put("pagesRemoved", params.full() ? pagesFreed(before, after) : output.pagesRemoved());
    stats.put("bytesBefore", bytes(before));
    stats.put("bytesAfter", bytes(after));
    if (!output.skipped().isEmpty()) {
      stats.put("skipped", output.skipped());
    }
    if (diskCheck != null) {
      stats.put("diskCheck", diskCheck);
    }
    stats.put("perTable", perTable(before, after, output, params.full()));
    return stats;
  }

  private static List<Map<String, Object>> perTable(
      Map<TableRef, TableStats> before,
      Map<TableRef, TableStats> after,
      VacuumOutput output,
      boolean full) {
    return before.entrySet().stream()
        .sorted(
            Comparator.comparingLong(
                    (Map.Entry<TableRef, TableStats> e) -> e.getValue().deadTuples())
                .reversed())
        .limit(MAX_TABLES)
        .map(
            e -> {
              TableStats b = e.getValue();
              TableStats a = after.getOrDefault(e.getKey(), b);
              VacuumOutput.Removed removed = output.tables().get(e.getKey().toString());
              return Items.of(
                  "table", e.getKey().toString(),
                  "deadTuplesBefore", b.deadTuples(),
                  "deadTuplesAfter", a.deadTuples(),
                  "tuplesRemoved", removed == null ? null : removed.tuples(),
                  "pagesRemoved",
                      full ? pagesFreed(b, a) : removed == null ? null : removed.pages(),
                  "bytesBefore", b.totalBytes(),
                  "bytesAfter", a.totalBytes());
            })
        .toList();
  }

  /** Heap pages VACUUM FULL gave back, from the tables' sizes before and after (8 kB pages). */
  private static long pagesFreed(
      Map<TableRef, TableStats> before, Map<TableRef, TableStats> after) {
    long freed = 0;
    for (Map.Entry<TableRef, TableStats> e : before.entrySet()) {
      Long pages = pagesFreed(e.getValue(), after.get(e.getKey()));
      freed += pages == null ? 0 : pages;
    }
    return freed;
  }

  private static Long pagesFreed(TableStats before, TableStats after) {
    if (after == null || before.heapBytes() == null || after.heapBytes() == null) {
      return null;
    }
    return Math.max(0, before.heapBytes() - after.heapBytes()) / 8192;
  }

  /** The tables' total size; tables that were locked while measuring are left out. */
  private static long bytes(Map<TableRef, TableStats> tables) {
    return tables.values().stream()
        .map(TableStats::totalBytes)
        .filter(java.util.Objects::nonNull)
        .mapToLong(Long::longValue)
        .sum();
  }

  private static long sum(
      Map<TableRef, TableStats> tables, java.util.function.ToLongFunction<TableStats> f) {
    return tables.values().stream().mapToLong(f).sum();
  }
}
