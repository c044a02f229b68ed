package io.pgfleet.worker.procedure.maintenance;

import io.pgfleet.commands.result.ErrorCode;
import io.pgfleet.worker.failure.ProcedureFailure;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Extensions an operation needs in the target database (amcheck, pg_repack, ...). */
public final class Extensions {
  private Extensions() {}

  /**
   * Fails with {@code EXTENSION_MISSING} unless the extension is installed in the target database.
   *
   * @param howToInstall what an operator does about it, e.g. "as a superuser run CREATE EXTENSION
   *     amcheck there"
   */
  public static void require(MaintenanceSession session, String extension, String howToInstall)
      throws ProcedureFailure {
    try (PreparedStatement ps =
        session.connection().prepareStatement("SELECT 1 FROM pg_extension WHERE extname = ?")) {
      ps.setString(1, extension);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new ProcedureFailure(
              ErrorCode.EXTENSION_MISSING,
              "the "
                  + extension
                  + " extension is not installed in the database of "
                  + session.targetName()
                  + ": "
                  + howToInstall
                  + "; nothing was done");
        }
      }
    } catch (SQLException e) {
      throw session.failure("looking for the " + extension + " extension", e);
    }
  }
}
