package io.pgfleet.worker.procedure.basebackup;

import io.pgfleet.commands.result.ErrorCode;
import io.pgfleet.worker.failure.ProcedureFailure;
import io.pgfleet.worker.target.TargetDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** The server a base backup copies: its version and system identifier (null if not readable). */
record SourceServer(String version, int versionNum, String systemIdentifier) {

  static SourceServer of(TargetDatabase target) throws ProcedureFailure {
    try (Connection c = target.connect("base-backup");
        Statement st = c.createStatement()) {
      String version;
      int num;
      try (ResultSet rs =
          st.executeQuery(
              "SELECT current_setting('server_version'),"
                  + " current_setting('server_version_num')::int")) {
        rs.next();
        version = rs.getString(1);
        num = rs.getInt(2);
      }
      return new SourceServer(version, num, systemIdentifier(c));
    } catch (SQLException e) {
      throw new ProcedureFailure(
          ErrorCode.TARGET_ERROR, "cannot read the server's version: " + e.getMessage(), e);
    }
  }

  /** Null when the target's user may not call pg_control_system(). */
  private static String systemIdentifier(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT system_identifier::text FROM pg_control_system()")) {
      return rs.next() ? rs.getString(1) : null;
    } catch (SQLException e) {
      if (!c.getAutoCommit()) {
        c.rollback();
      }
      return null;
    }
  }
}
