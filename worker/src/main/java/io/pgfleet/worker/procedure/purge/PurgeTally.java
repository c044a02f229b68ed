package io.pgfleet.worker.procedure.purge;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** What a purge did so far: rows, batches and how long the longest of them held on. */
final class PurgeTally {
  long rowsDeleted;
  long rowsArchived;
  int batches;
  int lockRetries;
  int pauses;
  int largestBatch;
  int segments;
  long archiveBytes;
  private long longestBatchNanos;
  private long longestTransactionNanos;
  private long transactionNanos;

  void transaction(long nanos) {
    longestTransactionNanos = Math.max(longestTransactionNanos, nanos);
    transactionNanos += nanos;
  }

  void batch(long nanos, int rows) {
    batches++;
    largestBatch = Math.max(largestBatch, rows);
    longestBatchNanos = Math.max(longestBatchNanos, nanos);
  }

  long longestTransactionMs() {
    return TimeUnit.NANOSECONDS.toMillis(longestTransactionNanos);
  }

  Map<String, Object> statistics() {
    Map<String, Object> stats = new LinkedHashMap<>();
    stats.put("rowsDeleted", rowsDeleted);
    stats.put("rowsArchived", rowsArchived);
    stats.put("batches", batches);
    stats.put("largestBatchRows", largestBatch);
    stats.put("longestBatchMs", TimeUnit.NANOSECONDS.toMillis(longestBatchNanos));
    stats.put("longestTransactionMs", longestTransactionMs());
    stats.put("transactionsMs", TimeUnit.NANOSECONDS.toMillis(transactionNanos));
    stats.put("lockRetries", lockRetries);
    stats.put("pauses", pauses);
    return stats;
  }
}
