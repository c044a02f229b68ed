package io.pgfleet.worker.storage;

import java.time.Instant;
import java.util.List;

/**
 * What a logical backup contains, written after its dump is complete: the artifact is visible as
 * complete only when its manifest exists. Row counts are taken in the same snapshot as the dump, so
 * a restore drill can prove the restored content equals what was dumped.
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
    List<TableCount> tables) {
  public static final int VERSION = 1;

  /** The dump object this manifest describes. */
  public record ArtifactObject(String uri, String key, long bytes, String sha256) {}

  /** How the dump was made. */
  public record Dump(
      String tool,
      String toolVersion,
      String format,
      String compression,
      int compressionLevel,
      String snapshot) {}

  /** The server it was taken from. */
  public record Server(String version, int versionNum, String systemIdentifier) {}

  /** Rows of one table at the dump's snapshot. */
  public record TableCount(String schema, String table, long rows) {}
}
