package io.pgfleet.worker.procedure.backup;

import io.pgfleet.commands.result.ErrorCode;
import io.pgfleet.worker.failure.ProcedureFailure;
import io.pgfleet.worker.storage.Manifest;
import io.pgfleet.worker.target.PgTools;
import io.pgfleet.worker.target.TargetDatabase;

/** Which pg_dump can dump the target's server, and what its failures mean for the operator. */
final class PgDumpTool {
  private PgDumpTool() {}

  static PgTools.Tool forServer(TargetDatabase target, Manifest.Server server)
      throws ProcedureFailure {
    int serverMajor = server.versionNum() / 10000;
    PgTools.Tool tool;
    try {
      tool = PgTools.find("pg_dump", target.config().pgBinDir(), serverMajor);
    } catch (IllegalStateException e) {
      throw new ProcedureFailure(ErrorCode.CLIENT_TOOL_UNSUITABLE, e.getMessage(), e);
    }
    if (tool.major() < serverMajor) {
      throw new ProcedureFailure(
          ErrorCode.CLIENT_TOOL_UNSUITABLE,
          "pg_dump "
              + tool.version()
              + " cannot dump a PostgreSQL "
              + server.version()
              + " server: install postgresql-client-"
              + serverMajor
              + " on the worker, or set pgBinDir for target "
              + target.config().name());
    }
    return tool;
  }

  static ProcedureFailure failed(TargetDatabase target, PgDump.Exit exit) {
    String stderr = target.redact(exit.stderr());
    ErrorCode code = ErrorCode.PG_DUMP_FAILED;
    if (stderr.contains("password authentication failed")) {
      code = ErrorCode.TARGET_AUTH_FAILED;
    } else if (stderr.contains("could not connect") || stderr.contains("Connection refused")) {
      code = ErrorCode.TARGET_UNREACHABLE;
    }
    return new ProcedureFailure(
        code,
        "pg_dump exited with code "
            + exit.code()
            + ": "
            + (stderr.isEmpty() ? "(no output)" : stderr));
  }
}
