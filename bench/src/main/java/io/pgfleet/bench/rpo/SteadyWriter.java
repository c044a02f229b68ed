package io.pgfleet.bench.rpo;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Commits at a steady rate from its own thread: every {@code periodMs} one transaction inserting
 * {@code rowsPerCommit} rows of 1 KiB, then reads the WAL insert position, which is at or past the
 * end of the commit record. Keeps the commits it saw acknowledged (when, and that position).
 */
final class SteadyWriter implements AutoCloseable {
  /** One acknowledged commit: when the client saw it, and a WAL position at or past its end. */
  record Commit(long ackedNanos, long lsn) {}

  private final Connection connection;
  private final int rowsPerCommit;
  private final long periodMs;
  private final List<Commit> commits = new ArrayList<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread thread;
  private volatile SQLException failure;

  SteadyWriter(Connection connection, int rowsPerCommit, long periodMs) throws SQLException {
    this.connection = connection;
    this.rowsPerCommit = rowsPerCommit;
    this.periodMs = periodMs;
    try (Statement st = connection.createStatement()) {
      st.execute("CREATE TABLE IF NOT EXISTS rpo_rows (id bigserial PRIMARY KEY, payload text)");
    }
    thread = new Thread(this::loop, "rpo-writer");
    thread.setDaemon(true);
    thread.start();
  }

  /** The commits acknowledged so far. */
  synchronized List<Commit> commits() {
    return List.copyOf(commits);
  }

  private void loop() {
    try (PreparedStatement insert =
            connection.prepareStatement(
                "INSERT INTO rpo_rows (payload) SELECT repeat(md5(random()::text), 32)"
                    + " FROM generate_series(1, ?)");
        PreparedStatement lsn =
            connection.prepareStatement(
                "SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), '0/0')::bigint")) {
      insert.setInt(1, rowsPerCommit);
      long next = System.nanoTime();
      while (running.get()) {
        insert.executeUpdate();
        long acked = System.nanoTime();
        try (ResultSet rs = lsn.executeQuery()) {
          rs.next();
          synchronized (this) {
            commits.add(new Commit(acked, rs.getLong(1)));
          }
        }
        next += periodMs * 1_000_000;
        long sleep = (next - System.nanoTime()) / 1_000_000;
        if (sleep > 0) {
          Thread.sleep(sleep);
        }
      }
    } catch (SQLException e) {
      failure = e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() throws Exception {
    running.set(false);
    thread.join(10_000);
    connection.close();
    if (failure != null) {
      throw failure;
    }
  }
}
