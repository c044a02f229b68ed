package io.pgfleet.worker.procedure.restore;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Pattern;

/**
 * A JDBC session that prints COPY text exactly as pg_dump's does: pg_dump's own settings ({@link
 * PgDumpSettings}) and a REPEATABLE READ, READ ONLY transaction; its rows are hashed by {@link
 * CopyDigest}. The JDBC driver's client encoding is UTF8, so only a UTF8 archive's rows compare
 * byte for byte.
 */
final class CopySession {
  private static final Pattern SNAPSHOT = Pattern.compile("[0-9A-Fa-f-]+");

  private CopySession() {}

  /** pg_dump's settings, then a REPEATABLE READ, READ ONLY transaction, in {@code snapshot}. */
  static void begin(Connection c, String snapshot) throws SQLException {
    c.setAutoCommit(true);
    try (Statement st = c.createStatement()) {
      PgDumpSettings.apply(st);
    }
    c.setAutoCommit(false);
    try (Statement st = c.createStatement()) {
      st.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
      if (snapshot != null) {
        if (!SNAPSHOT.matcher(snapshot).matches()) {
          throw new SQLException("unexpected snapshot id " + snapshot);
        }
        st.execute("SET TRANSACTION SNAPSHOT '" + snapshot + "'");
      }
    }
  }

  /** Holds the table (ACCESS SHARE, as pg_dump does) until the transaction ends. */
  static void lock(Connection c, CopiedTable r) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute("LOCK TABLE ONLY " + r.name() + " IN ACCESS SHARE MODE");
    }
  }

  /**
   * The same lock for a part, failing at once (SQLState 55P03) when another session holds or awaits
   * a conflicting one.
   */
  static void lockNowait(Connection c, CopiedTable r) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute("LOCK TABLE ONLY " + r.name() + " IN ACCESS SHARE MODE NOWAIT");
    }
  }

  /** A snapshot the other parts' transactions take, valid while this one is open. */
  static String exportSnapshot(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT pg_catalog.pg_export_snapshot()")) {
      rs.next();
      return rs.getString(1);
    }
  }
}
