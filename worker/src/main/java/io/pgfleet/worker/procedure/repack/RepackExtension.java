package io.pgfleet.worker.procedure.repack;

import io.pgfleet.worker.failure.ProcedureFailure;
import io.pgfleet.worker.procedure.maintenance.Extensions;
import io.pgfleet.worker.procedure.maintenance.MaintenanceSession;

/**
 * The server half of pg_repack: its extension in the target database, without which the client
 * ({@link RepackTool}) cannot work.
 */
final class RepackExtension {
  private RepackExtension() {}

  static void require(MaintenanceSession session) throws ProcedureFailure {
    int major = RepackTool.serverMajor(session);
    Extensions.require(
        session,
        "pg_repack",
        "install it on the database server (Debian: apt-get install -y postgresql-"
            + major
            + "-repack), then run CREATE EXTENSION pg_repack in that database as a superuser"
            + " (VACUUM FULL is the locking alternative)");
  }
}
