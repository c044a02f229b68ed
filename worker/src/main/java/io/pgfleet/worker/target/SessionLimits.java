package io.pgfleet.worker.target;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * Timeouts a maintenance session sets on itself, so that nothing pgfleet runs waits on a lock or
 * runs a statement for longer than the operation allows. Zero means no limit.
 */
public record SessionLimits(Duration statementTimeout, Duration lockTimeout) {
  public static final SessionLimits NONE = new SessionLimits(Duration.ZERO, Duration.ZERO);

  public void apply(Connection c) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute("SET statement_timeout = " + statementTimeout.toMillis());
      st.execute("SET lock_timeout = " + lockTimeout.toMillis());
    }
  }
}
