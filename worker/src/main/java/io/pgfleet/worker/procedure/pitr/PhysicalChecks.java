package io.pgfleet.worker.procedure.pitr;

import io.pgfleet.commands.result.ErrorCode;
import io.pgfleet.worker.config.ServerLogin;
import io.pgfleet.worker.failure.ProcedureFailure;
import io.pgfleet.worker.procedure.Cancellation;
import io.pgfleet.worker.tool.ToolCall;
import io.pgfleet.worker.tool.ToolResult;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The checks of a physical drill, with PostgreSQL's own tools from {@code pitr.serverBinDir}:
 * pg_verifybackup (every file against the backup_manifest, and the WAL the backup needs) before
 * recovery, pg_amcheck (heap and btree of every relation in every database) after it.
 */
final class PhysicalChecks {
  /**
   * Both read the whole cluster, so they take as long as its size needs; the bound only ends a tool
   * that hangs. A cancelled run stops them at once.
   */
  private static final Duration CHECK_BOUND = Duration.ofHours(6);

  private final Path binDir;

  PhysicalChecks(Path binDir) {
    this.binDir = binDir;
  }

  /** pg_verifybackup on the unpacked directory; its summary line. */
  String verifyBackup(Path dir, Cancellation cancellation)
      throws ProcedureFailure, IOException, InterruptedException {
    return run(
        List.of(binDir.resolve("pg_verifybackup").toString(), "--quiet", dir.toString()),
        Map.of(),
        "pg_verifybackup",
        cancellation);
  }

  /** pg_amcheck over every database of the recovered server listening on {@code port}. */
  String amcheck(int port, ServerLogin login, Cancellation cancellation)
      throws ProcedureFailure, IOException, InterruptedException {
    return run(
        List.of(
            binDir.resolve("pg_amcheck").toString(),
            "--host=127.0.0.1",
            "--port=" + port,
            "--username=" + login.user(),
            "--no-password",
            "--all",
            "--install-missing",
            "--heapallindexed"),
        Map.of("PGPASSWORD", login.password().reveal(), "PGSSLMODE", "disable"),
        "pg_amcheck",
        cancellation);
  }

  private static String run(
      List<String> command, Map<String, String> env, String tool, Cancellation cancellation)
      throws ProcedureFailure, IOException, InterruptedException {
    ToolResult result =
        ToolCall.of(command)
            .named(tool)
            .env(env)
            .within(CHECK_BOUND)
            .stoppedBy(cancellation::onCancel)
            .run();
    cancellation.check();
    if (result.exitCode() != 0) {
      throw new ProcedureFailure(ErrorCode.INTEGRITY_FAILED, result.failure());
    }
    return result.stdout().strip();
  }
}
