package io.pgfleet.worker.storage;

/**
 * Holds a stream to an average rate, so that a backup does not saturate the network or the database
 * server it reads from. Zero or less means no limit.
 */
final class Throttle {
  private final long bytesPerSecond;
  private final long startNanos = System.nanoTime();
  private long bytes;

  Throttle(long bytesPerSecond) {
    this.bytesPerSecond = bytesPerSecond;
  }

  /** Accounts for {@code n} bytes, sleeping as long as the stream is ahead of its rate. */
  void acquire(long n) throws InterruptedException {
    if (bytesPerSecond <= 0) {
      return;
    }
    bytes += n;
    long dueNanos = bytes * 1_000_000_000L / bytesPerSecond;
    long aheadMillis = (dueNanos - (System.nanoTime() - startNanos)) / 1_000_000;
    if (aheadMillis > 0) {
      Thread.sleep(aheadMillis);
    }
  }
}
