package io.pgfleet.worker.config;

import io.pgfleet.runtime.config.Secret;
import java.net.URI;
import java.time.Duration;

/** The {@code storage:} section as written; {@link #settings()} applies the defaults. */
record StorageFile(
    String endpoint,
    String region,
    String bucket,
    String prefix,
    Boolean pathStyle,
    Secret accessKey,
    Secret secretKey,
    Integer partSizeMiB,
    Integer maxKiBPerSecond,
    String caFile,
    Timeouts timeouts) {

  record Timeouts(Duration connect, Duration read, Duration attempt, Duration call) {
    StorageTimeouts settings() {
      StorageTimeouts d = StorageTimeouts.DEFAULTS;
      return new StorageTimeouts(
          connect == null ? d.connect() : connect,
          read == null ? d.read() : read,
          attempt == null ? d.attempt() : attempt,
          call == null ? d.call() : call);
    }
  }

  StorageSettings settings() {
    return new StorageSettings(
        endpoint == null ? null : URI.create(endpoint),
        region == null ? "us-east-1" : region,
        bucket,
        prefix == null ? "pgfleet" : prefix,
        pathStyle == null ? endpoint != null : pathStyle,
        accessKey,
        secretKey,
        partSizeMiB == null ? StorageSettings.DEFAULT_PART_SIZE : partSizeMiB << 20,
        maxKiBPerSecond == null ? 0 : maxKiBPerSecond * 1024L,
        timeouts == null ? StorageTimeouts.DEFAULTS : timeouts.settings(),
        caFile == null ? null : StoreCertificates.check(caFile));
  }
}
