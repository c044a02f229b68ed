package io.pgfleet.bench.purge;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Measures the longest transaction from outside, the same way for pgfleet and for the baseline:
 * samples {@code pg_stat_activity} of the database every few milliseconds and keeps the oldest
 * {@code xact_start} seen of any session but the inserter's and its own.
 */
final class TransactionWatch implements AutoCloseable {
  private static final long EVERY_MS = 5;

  private final Thread thread;
  private final AtomicReference<Exception> failure = new AtomicReference<>();
  private volatile boolean stopped;
  private volatile double longestMs;

  TransactionWatch(Connection c) {
    thread = new Thread(() -> watch(c), "bench-transaction-watch");
    thread.setDaemon(true);
    thread.start();
  }

  private void watch(Connection c) {
    try (c;
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT coalesce(max(extract(epoch FROM clock_timestamp() - xact_start)), 0) * 1000"
                    + " FROM pg_stat_activity WHERE datname = current_database()"
                    + " AND pid <> pg_backend_pid() AND application_name <> ?"
                    + " AND xact_start IS NOT NULL")) {
      ps.setString(1, InsertLoad.APPLICATION);
      while (!stopped) {
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          longestMs = Math.max(longestMs, rs.getDouble(1));
        }
        Thread.sleep(EVERY_MS);
      }
    } catch (SQLException | RuntimeException e) {
      failure.set(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The longest transaction seen so far, in milliseconds. */
  double longestMs() {
    return longestMs;
  }

  @Override
  public void close() throws InterruptedException {
    stopped = true;
    thread.join(10_000);
    if (failure.get() != null) {
      throw new IllegalStateException("watching transactions failed", failure.get());
    }
  }
}
