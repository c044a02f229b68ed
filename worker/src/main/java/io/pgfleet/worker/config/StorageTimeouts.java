package io.pgfleet.worker.config;

import java.time.Duration;

/**
 * How long pgfleet waits for the object store before it gives up, so that an S3 that hangs or
 * crawls fails a run (or {@code wal-push}) instead of holding it forever.
 *
 * @param connect opening a TCP connection
 * @param read a connection that sends nothing for this long is dropped
 * @param attempt one HTTP request, body included (a part upload that crawls ends here)
 * @param call one S3 operation with the SDK's own retries: the bound on any single request
 */
public record StorageTimeouts(Duration connect, Duration read, Duration attempt, Duration call) {
  public static final StorageTimeouts DEFAULTS =
      new StorageTimeouts(
          Duration.ofSeconds(10),
          Duration.ofSeconds(30),
          Duration.ofMinutes(2),
          Duration.ofMinutes(5));

  public StorageTimeouts {
    for (Duration d : new Duration[] {connect, read, attempt, call}) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("storage timeouts must be positive durations");
      }
    }
    if (attempt.compareTo(call) > 0) {
      throw new IllegalArgumentException(
          "storage.timeouts.attempt ("
              + attempt
              + ") must not exceed storage.timeouts.call ("
              + call
              + ")");
    }
  }
}
