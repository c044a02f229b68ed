package io.pgfleet.worker.storage;

import java.time.Instant;
import java.util.List;

/**
 * What a logical backup contains, written after its dump is complete: the artifact is visible as
 * complete only when its manifest exists. Row counts are taken in the same snapshot as the dump, so
 * a restore drill can prove the restored content equals what was dumped.
 *
 * <p>The object's bytes are, from the outside in: the {@link Encryption} envelope (when encrypted),
 * then zstd (when {@code dump.compression} is {@code zstd}: applied by the worker), then the
 * pg_dump custom archive (which compresses its own data when {@code compression} is {@code gzip}).
 * {@code artifact.sha256} is over the stored bytes.
 *
 * @param encryption null when the object is not encrypted by the worker
 */
public record Manifest(
    int manifestVersion,
    String kind,
    String target,
    String database,
    String commandId,
    int attempt,
    String worker,
    ArtifactObject artifact,
    Dump dump,
    Server server,
    Instant startedAt,
    Instant finishedAt,
    List<TableCount> tables,
    Encryption encryption) {
  public static final int VERSION = 1;

  /** The client-side encryption of the object: which key opens it. */
  public record Encryption(String algorithm, String keyId) {}

  /** The table of this manifest, for comparing counts. */
  public java.util.Map<String, Long> rowsByTable() {
    java.util.Map<String, Long> rows = new java.util.TreeMap<>();
    tables.forEach(t -> rows.put(t.schema() + "." + t.table(), t.rows()));
    return rows;
  }

  /** The dump object this manifest describes. */
  public record ArtifactObject(String uri, String key, long bytes, String sha256) {}

  /** How the dump was made. */
  public record Dump(
      String tool,
      String toolVersion,
      String format,
      String compression,
      int compressionLevel,
      String snapshot,
      Boolean schemaOnly,
      List<String> includeTables,
      List<String> excludeTables) {}

  /** The server it was taken from. */
  public record Server(String version, int versionNum, String systemIdentifier) {}

  /** Rows of one table at the dump's snapshot. */
  public record TableCount(String schema, String table, long rows) {}
}
