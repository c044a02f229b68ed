package io.pgfleet.worker.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgfleet.commands.PurgeParams;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the {@code purgePolicies} of one target from the config file. Every mistake is recorded
 * with its path; table and column names are checked as identifiers here, against the catalog when a
 * purge runs.
 */
final class PurgePolicyFile {
  private PurgePolicyFile() {}

  static Map<String, PurgePolicy> read(JsonNode root, String target, ConfigTree t) {
    String base = "targets." + target + ".purgePolicies";
    JsonNode policies = root.path("targets").path(target).path("purgePolicies");
    Map<String, PurgePolicy> out = new LinkedHashMap<>();
    if (policies.isMissingNode() || policies.isNull()) {
      return out;
    }
    if (!policies.isObject()) {
      t.problem(base + ": expected a mapping of policy name to policy");
      return out;
    }
    policies
        .fields()
        .forEachRemaining(
            e -> {
              String path = base + "." + e.getKey();
              try {
                PurgeParams.requireName(e.getKey());
              } catch (IllegalArgumentException invalid) {
                t.problem(path + ": " + invalid.getMessage());
                return;
              }
              PurgePolicy policy = policy(root, e.getKey(), e.getValue(), path, t);
              if (policy != null) {
                out.put(policy.name(), policy);
              }
            });
    return out;
  }

  private static PurgePolicy policy(
      JsonNode root, String name, JsonNode node, String p, ConfigTree t) {
    if (!node.isObject()) {
      t.problem(p + ": expected a mapping with table, timeColumn, olderThan, ...");
      return null;
    }
    if (!node.hasNonNull("olderThan")) {
      t.problem(p + ".olderThan: required, e.g. 7d");
      return null;
    }
    PurgePolicy.Builder b =
        PurgePolicy.builder(name)
            .table(t.string(root, p + ".table", null))
            .timeColumn(t.string(root, p + ".timeColumn", null))
            .olderThan(t.duration(root, p + ".olderThan", java.time.Duration.ZERO))
            .status(
                t.optionalString(root, p + ".statusColumn"),
                t.list(root, p + ".statusValues", v -> v))
            .keyColumn(t.optionalString(root, p + ".keyColumn"))
            .batchSize(t.integer(root, p + ".batchSize", PurgePolicy.DEFAULT_BATCH_SIZE))
            .batchTime(t.duration(root, p + ".batchTime", PurgePolicy.DEFAULT_BATCH_TIME))
            .pause(t.duration(root, p + ".pause", PurgePolicy.DEFAULT_PAUSE))
            .lockTimeout(t.duration(root, p + ".lockTimeout", PurgePolicy.DEFAULT_LOCK_TIMEOUT))
            .statementTimeout(
                t.duration(root, p + ".statementTimeout", PurgePolicy.DEFAULT_STATEMENT_TIMEOUT))
            .vacuum(t.bool(root, p + ".vacuum", false));
    if (node.has("maxBatchSize")) {
      b.maxBatchSize(t.integer(root, p + ".maxBatchSize", PurgePolicy.DEFAULT_MAX_BATCH_SIZE));
    }
    String batchBy = t.optionalString(root, p + ".batchBy");
    if (batchBy != null) {
      try {
        b.batchBy(PurgePolicy.BatchBy.parse(batchBy));
      } catch (IllegalArgumentException e) {
        t.problem(p + ".batchBy: " + e.getMessage());
        return null;
      }
    }
    PurgePolicy.Archive archive = archive(node.path("archive"), p + ".archive", t);
    if (archive == null) {
      return null;
    }
    b.archive(archive);
    try {
      return b.build();
    } catch (RuntimeException e) {
      t.problem(p + ": " + e.getMessage());
      return null;
    }
  }

  /** {@code none} (default), {@code s3}, {@code {s3: {segmentRows: N}}} or {@code {table: T}}. */
  private static PurgePolicy.Archive archive(JsonNode node, String path, ConfigTree t) {
    if (node.isMissingNode() || node.isNull() || node.asText().equals("none")) {
      return PurgePolicy.Archive.NONE;
    }
    if (node.isTextual() && node.asText().equals("s3")) {
      return PurgePolicy.Archive.S3;
    }
    try {
      if (node.isObject() && node.size() == 1 && node.hasNonNull("table")) {
        return PurgePolicy.Archive.table(node.get("table").asText());
      }
      if (node.isObject() && node.size() == 1 && node.has("s3")) {
        int rows = node.get("s3").path("segmentRows").asInt(PurgePolicy.Archive.S3.segmentRows());
        return PurgePolicy.Archive.s3(rows);
      }
    } catch (IllegalArgumentException e) {
      t.problem(path + ": " + e.getMessage());
      return null;
    }
    t.problem(
        path
            + ": expected none, s3, {s3: {segmentRows: N}} or {table: ARCHIVE_TABLE}, not "
            + node);
    return null;
  }
}
