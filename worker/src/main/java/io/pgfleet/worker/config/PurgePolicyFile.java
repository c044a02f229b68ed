package io.pgfleet.worker.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;

/**
 * One of a target's {@code purgePolicies} as written. Table and column names are checked as
 * identifiers by {@link PurgePolicy}, against the catalog when a purge runs.
 */
record PurgePolicyFile(
    String table,
    String timeColumn,
    Duration olderThan,
    String statusColumn,
    List<String> statusValues,
    String keyColumn,
    Integer batchSize,
    Integer maxBatchSize,
    String batchBy,
    Duration batchTime,
    Duration pause,
    Duration lockTimeout,
    Duration statementTimeout,
    Boolean vacuum,
    JsonNode archive,
    Integer sessions) {

  PurgePolicy policy(String name) {
    PurgePolicy.Builder b =
        PurgePolicy.builder(name)
            .table(table)
            .timeColumn(timeColumn)
            .olderThan(olderThan)
            .status(statusColumn, statusValues == null ? List.of() : statusValues)
            .keyColumn(keyColumn)
            .batchSize(or(batchSize, PurgePolicy.DEFAULT_BATCH_SIZE))
            .batchTime(or(batchTime, PurgePolicy.DEFAULT_BATCH_TIME))
            .pause(or(pause, PurgePolicy.DEFAULT_PAUSE))
            .lockTimeout(or(lockTimeout, PurgePolicy.DEFAULT_LOCK_TIMEOUT))
            .statementTimeout(or(statementTimeout, PurgePolicy.DEFAULT_STATEMENT_TIMEOUT))
            .vacuum(Boolean.TRUE.equals(vacuum))
            .archive(archiveSetting());
    if (maxBatchSize != null) {
      b.maxBatchSize(maxBatchSize);
    }
    if (batchBy != null) {
      b.batchBy(PurgePolicy.BatchBy.parse(batchBy));
    }
    if (sessions != null) {
      b.sessions(sessions);
    }
    return b.build();
  }

  /** {@code none} (default), {@code s3}, {@code {s3: {segmentRows: N}}} or {@code {table: T}}. */
  private PurgePolicy.Archive archiveSetting() {
    if (archive == null || archive.isNull() || archive.asText().equals("none")) {
      return PurgePolicy.Archive.NONE;
    }
    if (archive.asText().equals("s3")) {
      return PurgePolicy.Archive.S3;
    }
    if (archive.has("table")) {
      return PurgePolicy.Archive.table(archive.get("table").asText());
    }
    return PurgePolicy.Archive.s3(
        archive.path("s3").path("segmentRows").asInt(PurgePolicy.Archive.S3.segmentRows()));
  }

  private static <T> T or(T value, T fallback) {
    return value == null ? fallback : value;
  }
}
