package io.pgfleet.dispatcher.schedule;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which dispatcher fires the schedules: the one holding a session-level PostgreSQL advisory lock in
 * the ledger database, on a connection it keeps open. If that dispatcher dies, PostgreSQL ends its
 * session and the lock passes to the next one that asks.
 */
public final class Leadership implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Leadership.class);
  private static final String KEY = "hashtextextended('pgfleet.dispatcher.leader:' || ?, 0)";

  private final DataSource dataSource;
  private final String fleet;
  private final String dispatcherId;
  private Connection held;
  private volatile boolean leading;

  /**
   * @param fleet names the group of dispatchers that elect one leader (the topic prefix)
   */
  public Leadership(DataSource dataSource, String fleet, String dispatcherId) {
    this.dataSource = dataSource;
    this.fleet = fleet;
    this.dispatcherId = dispatcherId;
  }

  /** Whether this dispatcher leads now: keeps the lock if it has it, else tries to take it. */
  public synchronized boolean lead() {
    if (held != null && alive(held)) {
      return true;
    }
    release();
    Connection c = null;
    try {
      c = dataSource.getConnection();
      try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(" + KEY + ")")) {
        ps.setString(1, fleet);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          if (rs.getBoolean(1)) {
            held = c;
            leading = true;
            log.info("dispatcher {} leads fleet {}", dispatcherId, fleet);
            return true;
          }
        }
      }
      c.close();
    } catch (SQLException e) {
      log.warn("cannot take the leader lock: {}", e.getMessage());
      closeQuietly(c);
    }
    return false;
  }

  /** Whether this dispatcher held the lock when it last asked; does not ask the database. */
  public boolean leads() {
    return leading;
  }

  /** The leader's own session: writes that must happen only while leading go through it. */
  public synchronized Connection connection() {
    if (held == null) {
      throw new IllegalStateException("not the leader");
    }
    return held;
  }

  private static boolean alive(Connection c) {
    try (PreparedStatement ps = c.prepareStatement("SELECT 1")) {
      ps.execute();
      return true;
    } catch (SQLException e) {
      return false;
    }
  }

  /** Hands leadership back (the next dispatcher that asks takes it). */
  public synchronized void release() {
    leading = false;
    if (held == null) {
      return;
    }
    try (PreparedStatement ps = held.prepareStatement("SELECT pg_advisory_unlock(" + KEY + ")")) {
      ps.setString(1, fleet);
      ps.execute();
    } catch (SQLException e) {
      // the session is gone, and the lock with it
    }
    closeQuietly(held);
    held = null;
  }

  private static void closeQuietly(Connection c) {
    if (c == null) {
      return;
    }
    try {
      if (!c.getAutoCommit()) {
        c.rollback();
      }
      c.close();
    } catch (SQLException ignored) {
      // nothing left to release
    }
  }

  @Override
  public void close() {
    release();
  }
}
