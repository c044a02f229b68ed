package io.pgfleet.bench.backupstream;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Samples this JVM's heap in use and its resident set (VmRSS in /proc/self/status) every 20 ms
 * while open, keeping the peaks. The worker runs in this JVM, as do Kafka and S3Proxy: the numbers
 * are an upper bound for the worker alone; what matters is whether they grow with the database.
 */
final class MemoryWatch implements AutoCloseable {
  private static final long PERIOD_MS = 20;
  private static final Path STATUS = Path.of("/proc/self/status");

  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
  private final Thread sampler;
  private volatile boolean stop;
  private volatile long peakHeap;
  private volatile long peakRss;

  /** Starts after a full GC, so that every watch starts from the same live heap. */
  MemoryWatch() {
    System.gc();
    sampler = new Thread(this::sample, "bench-memory-watch");
    sampler.setDaemon(true);
    sampler.start();
  }

  private void sample() {
    while (!stop) {
      peakHeap = Math.max(peakHeap, memory.getHeapMemoryUsage().getUsed());
      peakRss = Math.max(peakRss, rss());
      try {
        Thread.sleep(PERIOD_MS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  long peakHeapBytes() {
    return peakHeap;
  }

  long peakRssBytes() {
    return peakRss;
  }

  /** Heap in use after a full GC: what the JVM still holds once the run is over. */
  long heapAfterGcBytes() {
    System.gc();
    return memory.getHeapMemoryUsage().getUsed();
  }

  /** VmRSS in bytes, or 0 where /proc is not there. */
  static long rss() {
    try {
      for (String line : Files.readAllLines(STATUS)) {
        if (line.startsWith("VmRSS:")) {
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
