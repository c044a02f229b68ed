package io.pgfleet.worker.procedure.purge;

import io.pgfleet.worker.storage.Manifest;
import java.time.Instant;
import java.util.List;

/**
 * What one archive segment holds, written once the segment's object is complete and read back with
 * the same sha256, and before any of its rows is deleted. An archive object without a manifest is
 * not an archive: its rows were not deleted.
 *
 * @param rows data rows in the CSV (the header line not counted)
 * @param cutoff rows whose time column was older than this were purged
 */
record ArchiveManifest(
    int manifestVersion,
    String kind,
    String target,
    String database,
    String commandId,
    int attempt,
    String worker,
    String policy,
    String table,
    String keyColumn,
    String timeColumn,
    Instant cutoff,
    int segment,
    Manifest.ArtifactObject artifact,
    long rows,
    Format format,
    List<PurgeTable.Column> columns,
    Instant startedAt,
    Instant verifiedAt) {
  static final int VERSION = 1;
  static final String KIND = "purge-archive";

  /** How to read the object: CSV as PostgreSQL's COPY writes it, gzip-compressed. */
  record Format(String type, boolean header, String compression, String encoding, String timeZone) {
    static final Format CSV_GZIP = new Format("csv", true, "gzip", "UTF8", "UTC");
  }
}
