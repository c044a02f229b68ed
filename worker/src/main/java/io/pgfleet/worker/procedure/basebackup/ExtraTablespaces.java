package io.pgfleet.worker.procedure.basebackup;

import io.pgfleet.commands.result.ErrorCode;
import io.pgfleet.worker.failure.ProcedureFailure;
import io.pgfleet.worker.target.TargetDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Whether a cluster has tablespaces besides the default ones: pg_basebackup cannot stream such a
 * cluster as one tar, so its backup goes through a scratch directory ({@link ScratchBaseBackup}).
 */
final class ExtraTablespaces {
  private ExtraTablespaces() {}

  static boolean present(TargetDatabase target) throws ProcedureFailure {
    try (Connection c = target.connect("base-backup");
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT count(*) FROM pg_tablespace WHERE spcname NOT IN"
                    + " ('pg_default', 'pg_global')")) {
      rs.next();
      return rs.getInt(1) > 0;
    } catch (SQLException e) {
      throw new ProcedureFailure(
          ErrorCode.TARGET_ERROR, "cannot list the server's tablespaces: " + e.getMessage(), e);
    }
  }
}
