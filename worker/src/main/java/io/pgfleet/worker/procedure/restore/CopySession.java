package io.pgfleet.worker.procedure.restore;

import io.pgfleet.worker.archive.TableDigest;
import java.io.IOException;
import java.io.OutputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.postgresql.PGConnection;

/**
 * A JDBC session that prints COPY text exactly as pg_dump's does: pg_dump's own settings (an empty
 * search_path, ISO dates, postgres intervals, {@code extra_float_digits} 3, no synchronized scans,
 * no timeouts (17's transaction timeout too), row security off, a REPEATABLE READ, READ ONLY
 * transaction), plus {@link io.pgfleet.worker.archive.DumpSession}'s (UTC, hex bytea). The JDBC
 * driver's client encoding is UTF8, so only a UTF8 archive's rows compare byte for byte.
 */
final class CopySession {
  private static final List<String> SETTINGS =
      List.of(
          "SELECT pg_catalog.set_config('search_path', '', false)",
          "SET DATESTYLE = ISO",
          "SET INTERVALSTYLE = POSTGRES",
          "SET extra_float_digits TO 3",
          "SET synchronize_seqscans TO off",
          "SET statement_timeout = 0",
          "SET lock_timeout = 0",
          "SET idle_in_transaction_session_timeout = 0",
          "SET row_security = off",
          "SET TimeZone = 'UTC'",
          "SET bytea_output = hex");
  private static final Pattern SNAPSHOT = Pattern.compile("[0-9A-Fa-f-]+");

  /** pg_dump's settings for a server of {@code versionNum} (17 added a transaction timeout). */
  static List<String> settings(int versionNum) {
    if (versionNum < 170000) {
      return SETTINGS;
    }
    List<String> settings = new ArrayList<>(SETTINGS);
    settings.add("SET transaction_timeout = 0");
    return settings;
  }

  private static int serverVersionNum(Statement st) throws SQLException {
    try (ResultSet rs = st.executeQuery("SELECT current_setting('server_version_num')::int")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  /** An ordinary table as COPY names it: its quoted name, pg_dump's column list, its pages. */
  record Relation(String name, String columns, long pages) {}

  private CopySession() {}

  /** pg_dump's settings, then a REPEATABLE READ, READ ONLY transaction, in {@code snapshot}. */
  static void begin(Connection c, String snapshot) throws SQLException {
    c.setAutoCommit(true);
    try (Statement st = c.createStatement()) {
      for (String setting : settings(serverVersionNum(st))) {
        st.execute(setting);
      }
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

  /**
   * The ordinary table {@code schema.table} with the columns pg_dump copies (not dropped, not
   * generated, in order), quoted by the server; empty when the server predates TID range scans
   * (14), or there is no such ordinary table.
   */
  static Optional<Relation> relation(Connection c, String schema, String table)
      throws SQLException {
    String sql =
        "SELECT current_setting('server_version_num')::int >= 140000, c.relkind = 'r',"
            + " format('%I.%I', n.nspname, c.relname),"
            + " (SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum)"
            + "  FROM pg_catalog.pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0"
            + "  AND NOT a.attisdropped AND a.attgenerated = ''),"
            + " pg_catalog.pg_relation_size(c.oid)"
            + "  / current_setting('block_size')::bigint"
            + " FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n"
            + " ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relname = ?";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, schema);
      ps.setString(2, table);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next() || !rs.getBoolean(1) || !rs.getBoolean(2)) {
          return Optional.empty();
        }
        String columns = rs.getString(4);
        return Optional.of(
            new Relation(rs.getString(3), columns == null ? "" : columns, rs.getLong(5)));
      }
    }
  }

  /** Holds the table (ACCESS SHARE, as pg_dump does) until the transaction ends. */
  static void lock(Connection c, Relation r) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute("LOCK TABLE ONLY " + r.name() + " IN ACCESS SHARE MODE");
    }
  }

  /**
   * The same lock for a part, failing at once (SQLState 55P03) when another session holds or awaits
   * a conflicting one.
   */
  static void lockNowait(Connection c, Relation r) throws SQLException {
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

  /** The content of the rows {@code where} selects (a part of the pages, or all). */
  static TableDigest.Content copy(Connection c, Relation r, String where) throws SQLException {
    TableDigest digest = new TableDigest();
    String sql = "COPY (SELECT " + r.columns() + " FROM ONLY " + r.name() + where + ") TO STDOUT";
    try {
      c.unwrap(PGConnection.class)
          .getCopyAPI()
          .copyOut(
              sql,
              new OutputStream() {
                @Override
                public void write(int b) {
                  write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) {
                  digest.update(b, off, len);
                }
              });
    } catch (IOException e) {
      throw new SQLException("reading " + r.name() + " failed: " + e.getMessage(), e);
    }
    return digest.result(); // the transaction stays open: another part may still take its snapshot
  }

  /** Cancels what each connection is running (a drill cancelled mid-read). */
  static void cancelAll(List<Connection> connections) {
    synchronized (connections) {
      for (Connection c : connections) {
        try {
          c.unwrap(PGConnection.class).cancelQuery();
        } catch (SQLException ignored) {
          // closed already, or gone
        }
      }
    }
  }
}
