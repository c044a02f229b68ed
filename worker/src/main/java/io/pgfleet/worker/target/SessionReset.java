package io.pgfleet.worker.target;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Pattern;

/**
 * What a reused target connection is given before a run has it, in one round trip: nothing the
 * previous run set survives (settings, role, temporary tables, advisory locks, listens), then the
 * run's own name and timeouts. {@code DISCARD ALL} cannot be used: several statements sent at once
 * form one implicit transaction, which it refuses; these are its parts that matter here.
 */
final class SessionReset {
  private static final Pattern PURPOSE = Pattern.compile("[a-z0-9-]{1,40}");

  private SessionReset() {}

  static void apply(Connection c, String purpose, SessionLimits limits) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute(
          "SET SESSION AUTHORIZATION DEFAULT; RESET ALL; SELECT pg_advisory_unlock_all();"
              + " DISCARD TEMP; UNLISTEN *; CLOSE ALL; "
              + settings(purpose, limits));
    }
  }

  /** The run's name and timeouts, as statements. */
  static String settings(String purpose, SessionLimits limits) {
    if (!PURPOSE.matcher(purpose).matches()) {
      throw new IllegalArgumentException("not a session purpose: " + purpose);
    }
    return "SET application_name = 'pgfleet-"
        + purpose
        + "'; "
        + "SET statement_timeout = "
        + limits.statementTimeout().toMillis()
        + "; SET lock_timeout = "
        + limits.lockTimeout().toMillis();
  }
}
