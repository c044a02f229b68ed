package io.pgfleet.bench.backupstream;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Samples one process's resident set (VmRSS in /proc/PID/status) every 20 ms while open, keeping
 * the peak, and reads its high-water mark (VmHWM: the largest resident set since the process
 * started, kept by the kernel, so no short peak between samples is missed). The process is the
 * worker's own JVM, apart from Kafka and S3Proxy.
 */
final class MemoryWatch implements AutoCloseable {
  private static final long PERIOD_MS = 20;

  private final Path status;
  private final Thread sampler;
  private volatile boolean stop;
  private volatile long peakRss;

  MemoryWatch(long pid) {
    status = Path.of("/proc", String.valueOf(pid), "status");
    sampler = new Thread(this::sample, "bench-memory-watch");
    sampler.setDaemon(true);
    sampler.start();
  }

  private void sample() {
    while (!stop) {
      peakRss = Math.max(peakRss, field("VmRSS:"));
      try {
        Thread.sleep(PERIOD_MS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  long peakRssBytes() {
    return peakRss;
  }

  /** VmHWM now, bytes. */
  long highWaterBytes() {
    return field("VmHWM:");
  }

  /** A field of the status file in bytes, or 0 where /proc is not there. */
  private long field(String name) {
    try {
      for (String line : Files.readAllLines(status)) {
        if (line.startsWith(name)) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
    return 0;
  }

  @Override
  public void close() throws InterruptedException {
    stop = true;
    sampler.join();
  }
}
