package io.pgfleet.bench.pitr;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;

/**
 * Commits at a steady rate from its own thread until the server goes away: every {@code periodMs}
 * one transaction of {@code rowsPerCommit} rows of 1 KiB stamped with the server's {@code
 * clock_timestamp()}. Keeps the stamp of the last commit it saw acknowledged.
 */
final class CrashWriter implements AutoCloseable {
  static final String TABLE = "rpo_rows";

  private final Connection connection;
  private final int rowsPerCommit;
  private final long periodMs;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile Timestamp lastAcknowledged;
  private volatile int commits;

  CrashWriter(Connection connection, int rowsPerCommit, long periodMs) throws SQLException {
    this.connection = connection;
    this.rowsPerCommit = rowsPerCommit;
    this.periodMs = periodMs;
    try (Statement st = connection.createStatement()) {
      st.execute(
          "CREATE TABLE IF NOT EXISTS "
              + TABLE
              + " (id bigserial PRIMARY KEY, at timestamptz NOT NULL, payload text)");
    }
    thread = new Thread(this::loop, "rpo-crash-writer");
    thread.setDaemon(true);
    thread.start();
  }

  /** The server's clock_timestamp() of the last row acknowledged committed; null: none yet. */
  Timestamp lastAcknowledged() {
    return lastAcknowledged;
  }

  int commits() {
    return commits;
  }

  private void loop() {
    try (PreparedStatement insert =
        connection.prepareStatement(
            "WITH i AS (INSERT INTO "
                + TABLE
                + " (at, payload) SELECT clock_timestamp(), repeat(md5(random()::text), 32)"
                + " FROM generate_series(1, ?) RETURNING at) SELECT max(at) FROM i")) {
      insert.setInt(1, rowsPerCommit);
      long next = System.nanoTime();
      while (running) {
        try (ResultSet rs = insert.executeQuery()) {
          rs.next();
          lastAcknowledged = rs.getTimestamp(1); // autocommit: acknowledged with the result
          commits++;
        }
        next += periodMs * 1_000_000;
        long sleep = (next - System.nanoTime()) / 1_000_000;
        if (sleep > 0) {
          Thread.sleep(sleep);
        }
      }
    } catch (SQLException e) {
      // the server was killed: the last acknowledged commit is the one kept
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Waits until the writer has seen the server go (or {@code ms} passed). */
  void awaitEnd(long ms) throws InterruptedException {
    thread.join(ms);
  }

  @Override
  public void close() throws Exception {
    running = false;
    thread.join(10_000);
    try {
      connection.close();
    } catch (SQLException e) {
      // already broken by the kill
    }
  }
}
