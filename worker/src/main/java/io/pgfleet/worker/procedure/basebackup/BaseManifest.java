package io.pgfleet.worker.procedure.basebackup;

import java.time.Instant;
import java.util.List;

/**
 * What a base backup is, written last as {@code manifest.json} beside its files: until it exists
 * the files are not a backup. Restores read the files, timeline and LSNs from here.
 *
 * @param startLsn where WAL replay must begin
 * @param stopLsn the earliest point the backup is consistent at; recovery targets before it fail
 * @param files every stored file, zstd-compressed; {@code backup_manifest} is pg_basebackup's own
 */
public record BaseManifest(
    int version,
    String kind,
    String target,
    String backupId,
    String startLsn,
    String stopLsn,
    int timeline,
    Instant startedAt,
    Instant stoppedAt,
    String serverVersion,
    int serverVersionNum,
    String systemIdentifier,
    String pgBasebackupVersion,
    List<File> files) {
  public static final int VERSION = 1;
  public static final String KIND = "base";

  /**
   * One file of the backup as pg_basebackup wrote it.
   *
   * @param name pg_basebackup's name ({@code base.tar}, {@code 16384.tar}, {@code backup_manifest})
   * @param bytes its size before compression
   * @param sha256 of its content before compression; null for a streamed {@code base.tar}, whose
   *     content is checked instead by zstd's frame checksum on every decompression and, file by
   *     file, by pg_verifybackup against {@code backup_manifest} (SHA256 of every file) in the
   *     drill; hashing the raw tar on the reading thread cost ~0.5 s per 600 MB (bench/RESULTS.md)
   * @param storedBytes / storedSha256 of the compressed object
   */
  public record File(
      String name, String key, long bytes, String sha256, long storedBytes, String storedSha256) {}
}
