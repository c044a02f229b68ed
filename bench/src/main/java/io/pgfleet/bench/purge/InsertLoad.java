package io.pgfleet.bench.purge;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The order service going on while the purge runs: one connection inserting new outbox events as
 * fast as it can, each in its own transaction, with the start and latency of every insert kept.
 */
final class InsertLoad implements AutoCloseable {
  static final String APPLICATION = "bench-inserter";

  private final Thread thread;
  private final AtomicReference<Exception> failure = new AtomicReference<>();
  private volatile boolean stopped;
  private long[] starts = new long[1 << 16];
  private long[] latencies = new long[1 << 16];
  private int count;

  InsertLoad(Connection c) {
    thread = new Thread(() -> insert(c), "bench-inserter");
    thread.start();
  }

  private void insert(Connection c) {
    try (c;
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO outbox_events (aggregate_id, event_type, payload, status, created_at)"
                    + " VALUES (?, 'OrderCreated', '{}', 'pending', now())")) {
      long n = 0;
      while (!stopped) {
        ps.setLong(1, ++n);
        long start = System.nanoTime();
        ps.executeUpdate();
        record(start, System.nanoTime() - start);
      }
    } catch (SQLException | RuntimeException e) {
      failure.set(e);
    }
  }

  private synchronized void record(long start, long latency) {
    if (count == starts.length) {
      starts = Arrays.copyOf(starts, count * 2);
      latencies = Arrays.copyOf(latencies, count * 2);
    }
    starts[count] = start;
    latencies[count++] = latency;
  }

  /** Latencies (ns) of the inserts that started between {@code from} and {@code to}. */
  synchronized long[] latenciesBetween(long from, long to) {
    return java.util.stream.IntStream.range(0, count)
        .filter(i -> starts[i] >= from && starts[i] <= to)
        .mapToLong(i -> latencies[i])
        .toArray();
  }

  synchronized int inserted() {
    return count;
  }

  @Override
  public void close() throws InterruptedException {
    stopped = true;
    thread.join(30_000);
    if (failure.get() != null) {
      throw new IllegalStateException("the inserting connection failed", failure.get());
    }
  }
}
