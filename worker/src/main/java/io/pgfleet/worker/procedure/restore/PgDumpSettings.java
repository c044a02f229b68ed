package io.pgfleet.worker.procedure.restore;

import io.pgfleet.worker.archive.DumpSession;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The session settings pg_dump makes before it reads a table (an empty search_path, ISO dates,
 * postgres intervals, {@code extra_float_digits} 3, no synchronized scans, no timeouts (17's
 * transaction timeout too), row security off), plus {@link DumpSession#settings()} (UTC, hex
 * bytea...), which pg_dump gets from its environment: a {@link CopySession} made with them prints
 * COPY text as pg_dump does.
 */
final class PgDumpSettings {
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
          "SET row_security = off");

  private PgDumpSettings() {}

  /**
   * pg_dump's own settings for a server of {@code versionNum} (17 added a transaction timeout);
   * {@link DumpSession}'s are made beside them.
   */
  static List<String> forVersion(int versionNum) {
    if (versionNum < 170000) {
      return SETTINGS;
    }
    List<String> settings = new ArrayList<>(SETTINGS);
    settings.add("SET transaction_timeout = 0");
    return settings;
  }

  /** Makes pg_dump's settings, then {@link DumpSession}'s, for the server {@code st} talks to. */
  static void apply(Statement st) throws SQLException {
    for (String setting : forVersion(serverVersionNum(st))) {
      st.execute(setting);
    }
    try (PreparedStatement set =
        st.getConnection().prepareStatement("SELECT pg_catalog.set_config(?, ?, false)")) {
      for (Map.Entry<String, String> setting : DumpSession.settings().entrySet()) {
        set.setString(1, setting.getKey());
        set.setString(2, setting.getValue());
        set.execute();
      }
    }
  }

  private static int serverVersionNum(Statement st) throws SQLException {
    try (ResultSet rs = st.executeQuery("SELECT current_setting('server_version_num')::int")) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
