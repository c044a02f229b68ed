package io.pgfleet.worker.config;

import io.pgfleet.runtime.config.Secret;
import java.net.URI;

/**
 * The S3-compatible object store.
 *
 * @param endpoint null for AWS S3 itself
 * @param accessKey null (with secretKey) to use the SDK's default credential chain
 * @param partSizeBytes multipart part size; at least 5 MiB
 * @param maxBytesPerSecond upload bandwidth limit per run; 0 for none
 * @param timeouts when a hanging or crawling store is given up on
 */
public record StorageSettings(
    URI endpoint,
    String region,
    String bucket,
    String prefix,
    boolean pathStyle,
    Secret accessKey,
    Secret secretKey,
    int partSizeBytes,
    long maxBytesPerSecond,
    StorageTimeouts timeouts) {
  public static final int MIN_PART_SIZE = 5 * 1024 * 1024;
  public static final int DEFAULT_PART_SIZE = 8 * 1024 * 1024;

  /** Settings with the default timeouts. */
  public StorageSettings(
      URI endpoint,
      String region,
      String bucket,
      String prefix,
      boolean pathStyle,
      Secret accessKey,
      Secret secretKey,
      int partSizeBytes,
      long maxBytesPerSecond) {
    this(
        endpoint,
        region,
        bucket,
        prefix,
        pathStyle,
        accessKey,
        secretKey,
        partSizeBytes,
        maxBytesPerSecond,
        StorageTimeouts.DEFAULTS);
  }

  public StorageSettings {
    if (timeouts == null) {
      timeouts = StorageTimeouts.DEFAULTS;
    }
  }

  public StorageSettings withTimeouts(StorageTimeouts t) {
    return new StorageSettings(
        endpoint,
        region,
        bucket,
        prefix,
        pathStyle,
        accessKey,
        secretKey,
        partSizeBytes,
        maxBytesPerSecond,
        t);
  }
}
