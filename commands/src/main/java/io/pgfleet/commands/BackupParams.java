package io.pgfleet.commands;

import java.util.List;
import java.util.Set;

/**
 * Parameters of a logical backup. Defaults: custom format, zstd level 2 by the worker, which the
 * compression benchmark chose: as small as the runbooks' {@code pg_dump -Z6} and about twice as
 * fast (bench/RESULTS.md, compression).
 *
 * @param format pg_dump archive format: {@code custom} (one object, streamed) or {@code directory}
 *     (one object per file, dumped with {@code jobs} parallel pg_dump workers)
 * @param compression {@code gzip} (by pg_dump), {@code zstd} (by the worker, pg_dump 15 has none)
 *     or {@code none}
 * @param compressionLevel gzip 0-9 (0 = none), zstd 1-19; default 6 for gzip, 2 for zstd
 * @param schemaOnly dump definitions, no rows
 * @param includeTables dump only these tables ({@code table} or {@code schema.table})
 * @param excludeTables dump everything but these tables
 * @param encrypt encrypt in the worker (AES-256-GCM) with the worker's active backup key
 * @param serverSideEncryption ask S3 to encrypt at rest: {@code AES256} or {@code aws:kms}
 * @param jobs parallel pg_dump (and pg_restore) workers, directory format only; default {@value
 *     #DEFAULT_JOBS}; null for custom. The worker bounds it by its target's {@code backup.maxJobs}:
 *     each job is one more connection to the target and one more core busy compressing.
 */
public record BackupParams(
    String format,
    String compression,
    Integer compressionLevel,
    Boolean schemaOnly,
    List<String> includeTables,
    List<String> excludeTables,
    Boolean encrypt,
    String serverSideEncryption,
    Integer jobs)
    implements OperationParams {
  public static final String DEFAULT_FORMAT = "custom";
  public static final String DIRECTORY = "directory";
  public static final int DEFAULT_JOBS = 2;
  public static final int DEFAULT_COMPRESSION_LEVEL = 6;
  public static final int DEFAULT_ZSTD_LEVEL = 2;
  public static final String GZIP = "gzip";
  public static final String ZSTD = "zstd";
  public static final String NONE = "none";
  private static final Set<String> SSE = Set.of("AES256", "aws:kms");

  public BackupParams {
    format = format == null ? DEFAULT_FORMAT : format;
    compression = compression == null ? ZSTD : compression;
    if (!DEFAULT_FORMAT.equals(format) && !DIRECTORY.equals(format)) {
      throw new IllegalArgumentException(
          "format must be 'custom' or 'directory', not " + Printable.quote(format));
    }
    jobs = jobs(format, jobs);
    switch (compression) {
      case GZIP -> {
        compressionLevel = compressionLevel == null ? DEFAULT_COMPRESSION_LEVEL : compressionLevel;
        requireLevel(compressionLevel, 0, 9, "gzip");
      }
      case ZSTD -> {
        compressionLevel = compressionLevel == null ? DEFAULT_ZSTD_LEVEL : compressionLevel;
        requireLevel(compressionLevel, 1, 19, "zstd");
      }
      case NONE -> {
        if (compressionLevel != null && compressionLevel != 0) {
          throw new IllegalArgumentException("compression none takes no compressionLevel");
        }
        compressionLevel = 0;
      }
      default ->
          throw new IllegalArgumentException(
              "compression must be gzip, zstd or none, not " + Printable.quote(compression));
    }
    schemaOnly = schemaOnly != null && schemaOnly;
    includeTables = includeTables == null ? List.of() : List.copyOf(includeTables);
    excludeTables = excludeTables == null ? List.of() : List.copyOf(excludeTables);
    encrypt = encrypt != null && encrypt;
    if (serverSideEncryption != null && !SSE.contains(serverSideEncryption)) {
      throw new IllegalArgumentException(
          "serverSideEncryption must be AES256 or aws:kms, not "
              + Printable.quote(serverSideEncryption));
    }
  }

  /** The form without {@code jobs}: one job, or the default for the directory format. */
  public BackupParams(
      String format,
      String compression,
      Integer compressionLevel,
      Boolean schemaOnly,
      List<String> includeTables,
      List<String> excludeTables,
      Boolean encrypt,
      String serverSideEncryption) {
    this(
        format,
        compression,
        compressionLevel,
        schemaOnly,
        includeTables,
        excludeTables,
        encrypt,
        serverSideEncryption,
        null);
  }

  /** The old two-argument form: custom format, gzip at the given level. */
  public BackupParams(String format, Integer compressionLevel) {
    this(format, GZIP, compressionLevel, null, null, null, null, null);
  }

  /** Whether the dump is a directory of files (pg_dump {@code -Fd}) rather than one archive. */
  public boolean directory() {
    return DIRECTORY.equals(format);
  }

  /** Custom backups carry no {@code jobs} on the wire, so workers that predate it read them. */
  private static Integer jobs(String format, Integer jobs) {
    if (jobs != null && jobs < 1) {
      throw new IllegalArgumentException("jobs must be at least 1, not " + jobs);
    }
    if (!DIRECTORY.equals(format)) {
      if (jobs != null && jobs != 1) {
        throw new IllegalArgumentException(
            "jobs "
                + jobs
                + " needs format 'directory': pg_dump runs parallel jobs only into a directory;"
                + " add format: directory, or drop jobs");
      }
      return null;
    }
    return jobs == null ? DEFAULT_JOBS : jobs;
  }

  public static BackupParams defaults() {
    return new BackupParams(null, null, null, null, null, null, null, null);
  }

  /** The compression actually applied to the stored object's content. */
  public String effectiveCompression() {
    return compression.equals(GZIP) && compressionLevel == 0 ? NONE : compression;
  }

  private static void requireLevel(int level, int min, int max, String what) {
    if (level < min || level > max) {
      throw new IllegalArgumentException(
          "compressionLevel for " + what + " must be " + min + "-" + max + ", not " + level);
    }
  }
}
