package io.pgfleet.worker.procedure.repack;

import io.pgfleet.commands.result.ErrorCode;
import io.pgfleet.worker.failure.ProcedureFailure;
import io.pgfleet.worker.procedure.maintenance.ClientToolRun;
import io.pgfleet.worker.procedure.maintenance.MaintenanceSession;
import io.pgfleet.worker.target.PgTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;

/**
 * The pg_repack client, built per server major: the target's pgBinDir, else Debian's {@code
 * /usr/lib/postgresql/<major>/bin} (package postgresql-<major>-repack), else PATH. It also needs
 * its extension in the target database ({@link RepackExtension}).
 */
final class RepackTool {
  private static final Path DEBIAN_ROOT = Path.of("/usr/lib/postgresql");

  private RepackTool() {}

  static PgTools.Tool find(MaintenanceSession session, Path pgBinDir) throws ProcedureFailure {
    int major = serverMajor(session);
    Path tool =
        pgBinDir != null
            ? pgBinDir.resolve("pg_repack")
            : DEBIAN_ROOT.resolve(String.valueOf(major)).resolve("bin").resolve("pg_repack");
    if (Files.isExecutable(tool)) {
      return new PgTools.Tool(tool, major, String.valueOf(major));
    }
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
      Path onPath = Path.of(dir, "pg_repack");
      if (Files.isExecutable(onPath)) {
        return new PgTools.Tool(onPath, major, String.valueOf(major));
      }
    }
    throw new ProcedureFailure(
        ErrorCode.CLIENT_TOOL_UNSUITABLE,
        "no pg_repack for PostgreSQL "
            + major
            + " on this worker: install it (Debian: apt-get install -y postgresql-"
            + major
            + "-repack) or set pgBinDir for the target");
  }

  static int serverMajor(MaintenanceSession session) throws ProcedureFailure {
    try {
      return ClientToolRun.serverMajor(session.connection());
    } catch (SQLException e) {
      throw session.failure("reading the server's version", e);
    }
  }
}
