package io.pgfleet.worker.config;

import io.pgfleet.runtime.config.Secret;
import java.net.URI;
import java.nio.file.Path;

/**
 * The S3-compatible object store.
 *
 * @param endpoint null for AWS S3 itself
 * @param accessKey null (with secretKey) to use the SDK's default credential chain
 * @param partSizeBytes multipart part size; at least 5 MiB
 * @param maxBytesPerSecond upload bandwidth limit per run; 0 for none
 * @param timeouts when a hanging or crawling store is given up on
 * @param caFile PEM certificates an https endpoint's certificate must chain to, instead of the
 *     JDK's trusted authorities; null for the JDK's
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
    StorageTimeouts timeouts,
    Path caFile) {
  public static final int MIN_PART_SIZE = 5 * 1024 * 1024;
  public static final int DEFAULT_PART_SIZE = 8 * 1024 * 1024;

  /** Settings that trust the JDK's certificate authorities. */
  public StorageSettings(
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
        timeouts,
        null);
  }

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
        StorageTimeouts.DEFAULTS,
        null);
  }

  public StorageSettings {
    if (timeouts == null) {
      timeouts = StorageTimeouts.DEFAULTS;
    }
    if (caFile != null && (endpoint == null || !"https".equalsIgnoreCase(endpoint.getScheme()))) {
      throw new IllegalArgumentException(
          "caFile applies only with an https endpoint, and the endpoint is "
              + (endpoint == null ? "not set (AWS S3's own)" : endpoint.getScheme()));
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
        t,
        caFile);
  }
}
