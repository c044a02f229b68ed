package io.pgfleet.worker.ledger;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * A session-level advisory lock on a target, held on a dedicated ledger connection for as long as
 * the heavy operation runs. If the worker dies, PostgreSQL releases it with the session.
 */
public final class TargetLock implements AutoCloseable {
  private static final String KEY = "hashtextextended('pgfleet.target:' || ?, 0)";

  private final DataSource dataSource;
  private final Connection connection;
  private final String target;

  private TargetLock(DataSource dataSource, Connection connection, String target) {
    this.dataSource = dataSource;
    this.connection = connection;
    this.target = target;
  }

  static TargetLock acquire(DataSource dataSource, String target, Duration pollEvery)
      throws InterruptedException {
    Connection c = null;
    try {
      c = dataSource.getConnection();
      try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(" + KEY + ")")) {
        ps.setString(1, target);
        while (true) {
          try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            if (rs.getBoolean(1)) {
              return new TargetLock(dataSource, c, target);
            }
          }
          Thread.sleep(pollEvery.toMillis());
        }
      }
    } catch (SQLException e) {
      closeQuietly(c);
      throw new LedgerException("cannot lock target " + target, e);
    } catch (InterruptedException | RuntimeException e) {
      closeQuietly(c);
      throw e;
    }
  }

  @Override
  public void close() {
    try (PreparedStatement ps =
        connection.prepareStatement("SELECT pg_advisory_unlock(" + KEY + ")")) {
      ps.setString(1, target);
      ps.execute();
      closeQuietly(connection);
    } catch (SQLException e) {
      // A pooled session would keep the lock: take it out of the pool so that it ends.
      if (dataSource instanceof HikariDataSource pool) {
        pool.evictConnection(connection);
      } else {
        closeQuietly(connection);
      }
    }
  }

  private static void closeQuietly(Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // nothing left to release
      }
    }
  }
}
