package io.pgfleet.commands;

import java.util.List;
import java.util.Set;

/**
 * Parameters of a logical backup. Defaults match the runbooks: custom format, gzip level 6.
 *
 * @param format pg_dump archive format; only {@code custom}
 * @param compression {@code gzip} (by pg_dump), {@code zstd} (by the worker, pg_dump 15 has none)
 *     or {@code none}
 * @param compressionLevel gzip 0-9 (0 = none), zstd 1-19; default 6 for gzip, 3 for zstd
 * @param schemaOnly dump definitions, no rows
 * @param includeTables dump only these tables ({@code table} or {@code schema.table})
 * @param excludeTables dump everything but these tables
 * @param encrypt encrypt in the worker (AES-256-GCM) with the worker's active backup key
 * @param serverSideEncryption ask S3 to encrypt at rest: {@code AES256} or {@code aws:kms}
 */
public record BackupParams(
    String format,
    String compression,
    Integer compressionLevel,
    Boolean schemaOnly,
    List<String> includeTables,
    List<String> excludeTables,
    Boolean encrypt,
    String serverSideEncryption)
    implements OperationParams {
  public static final String DEFAULT_FORMAT = "custom";
  public static final int DEFAULT_COMPRESSION_LEVEL = 6;
  public static final int DEFAULT_ZSTD_LEVEL = 3;
  public static final String GZIP = "gzip";
  public static final String ZSTD = "zstd";
  public static final String NONE = "none";
  private static final Set<String> SSE = Set.of("AES256", "aws:kms");

  public BackupParams {
    format = format == null ? DEFAULT_FORMAT : format;
    compression = compression == null ? GZIP : compression;
    if (!DEFAULT_FORMAT.equals(format)) {
      throw new IllegalArgumentException("format must be 'custom', not '" + format + "'");
    }
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

  /** The old two-argument form: custom format, gzip at the given level. */
  public BackupParams(String format, Integer compressionLevel) {
    this(format, null, compressionLevel, null, null, null, null, null);
  }

  public static BackupParams defaults() {
    return new BackupParams(null, null);
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
