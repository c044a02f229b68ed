package io.pgfleet.worker.procedure.basebackup;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicLong;

/** Streams that add the time spent in their reads or writes (and the bytes) to counters. */
final class TimedStreams {
  private TimedStreams() {}

  /** Time and bytes passed through one stream. */
  static final class Meter {
    private final AtomicLong nanos = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private volatile long firstByteNanos;

    long nanos() {
      return nanos.get();
    }

    /** {@link System#nanoTime()} when the first byte passed, 0 before. */
    long firstByteNanos() {
      return firstByteNanos;
    }

    long bytes() {
      return bytes.get();
    }

    void add(long startNanos, long count) {
      long now = System.nanoTime();
      nanos.addAndGet(now - startNanos);
      if (count > 0) {
        if (firstByteNanos == 0) {
          firstByteNanos = now;
        }
        bytes.addAndGet(count);
      }
    }
  }

  static InputStream reading(InputStream in, Meter meter) {
    return new FilterInputStream(in) {
      @Override
      public int read() throws IOException {
        long t = System.nanoTime();
        int b = in.read();
        meter.add(t, b < 0 ? 0 : 1);
        return b;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        long t = System.nanoTime();
        int n = in.read(b, off, len);
        meter.add(t, n);
        return n;
      }
    };
  }

  static OutputStream writing(OutputStream out, Meter meter) {
    return new FilterOutputStream(out) {
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        long t = System.nanoTime();
        out.write(b, off, len);
        meter.add(t, len);
      }

      @Override
      public void write(int b) throws IOException {
        long t = System.nanoTime();
        out.write(b);
        meter.add(t, 1);
      }
    };
  }
}
