package io.pgfleet.worker.procedure.basebackup;

import io.pgfleet.commands.result.ErrorCode;
import io.pgfleet.worker.failure.ProcedureFailure;
import io.pgfleet.worker.target.PgTools;
import io.pgfleet.worker.target.TargetDatabase;

/** Which pg_basebackup can back up the target's server, and what its failures mean. */
final class PgBaseBackupTool {
  private PgBaseBackupTool() {}

  static PgTools.Tool forServer(TargetDatabase target, SourceServer server)
      throws ProcedureFailure {
    int major = server.versionNum() / 10000;
    try {
      PgTools.Tool tool = PgTools.find("pg_basebackup", target.config().pgBinDir(), major);
      if (tool.major() < major) {
        throw new IllegalStateException(
            "pg_basebackup "
                + tool.version()
                + " cannot back up PostgreSQL "
                + server.version()
                + ": install postgresql-client-"
                + major
                + " on the worker, or set pgBinDir for target "
                + target.config().name());
      }
      return tool;
    } catch (IllegalStateException e) {
      throw new ProcedureFailure(ErrorCode.CLIENT_TOOL_UNSUITABLE, e.getMessage(), e);
    }
  }

  static ProcedureFailure failed(TargetDatabase target, PgBaseBackup.Exit exit) {
    String stderr = target.redact(exit.stderr());
    ErrorCode code = ErrorCode.PG_BASEBACKUP_FAILED;
    String hint = "";
    if (stderr.contains("password authentication failed")) {
      code = ErrorCode.TARGET_AUTH_FAILED;
    } else if (stderr.contains("could not connect") || stderr.contains("Connection refused")) {
      code = ErrorCode.TARGET_UNREACHABLE;
    } else if (stderr.contains("replication")) {
      hint =
          " (the target's user needs the REPLICATION attribute and pg_hba.conf a"
              + " 'host replication' entry for the worker)";
    }
    return new ProcedureFailure(
        code,
        "pg_basebackup exited with code "
            + exit.code()
            + ": "
            + (stderr.isEmpty() ? "(no output)" : stderr)
            + hint);
  }
}
