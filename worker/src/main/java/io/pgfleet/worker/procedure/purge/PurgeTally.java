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
  int sessions = 1;
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

  /** Adds what another session of the same purge did. */
  void add(PurgeTally o) {
    rowsDeleted += o.rowsDeleted;
    rowsArchived += o.rowsArchived;
    batches += o.batches;
    lockRetries += o.lockRetries;
    pauses += o.pauses;
    largestBatch = Math.max(largestBatch, o.largestBatch);
    longestBatchNanos = Math.max(longestBatchNanos, o.longestBatchNanos);
    longestTransactionNanos = Math.max(longestTransactionNanos, o.longestTransactionNanos);
    transactionNanos += o.transactionNanos;
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
    stats.put("sessions", sessions);
    return stats;
  }
}
