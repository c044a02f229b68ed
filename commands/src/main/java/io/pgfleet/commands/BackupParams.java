package io.pgfleet.commands;

/**
 * Parameters of a logical backup. Defaults match the runbooks: custom format, gzip level 6.
 *
 * @param format pg_dump archive format; only {@code custom} in v1
 * @param compressionLevel gzip level 0-9 passed to pg_dump
 */
public record BackupParams(String format, Integer compressionLevel) implements OperationParams {
  public static final String DEFAULT_FORMAT = "custom";
  public static final int DEFAULT_COMPRESSION_LEVEL = 6;

  public BackupParams {
    format = format == null ? DEFAULT_FORMAT : format;
    compressionLevel = compressionLevel == null ? DEFAULT_COMPRESSION_LEVEL : compressionLevel;
    if (!DEFAULT_FORMAT.equals(format)) {
      throw new IllegalArgumentException("format must be 'custom', not '" + format + "'");
    }
    if (compressionLevel < 0 || compressionLevel > 9) {
      throw new IllegalArgumentException("compressionLevel must be 0-9, not " + compressionLevel);
    }
  }

  public static BackupParams defaults() {
    return new BackupParams(null, null);
  }
}
