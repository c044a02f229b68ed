package io.pgfleet.worker.procedure.restore;

import io.pgfleet.commands.result.ErrorCode;
import io.pgfleet.worker.config.EncryptionKeys;
import io.pgfleet.worker.failure.ProcedureFailure;
import io.pgfleet.worker.procedure.Cancellation;
import io.pgfleet.worker.target.PgTools;
import io.pgfleet.worker.target.Redaction;
import io.pgfleet.worker.target.TargetDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

/**
 * Runs pg_restore over a backup and turns what went wrong into the failure an operator needs: an
 * integrity failure (the stored bytes differ from the manifest, or do not decode) wins over
 * whatever pg_restore then said about the damaged archive.
 */
final class Restorer {
  private final TargetDatabase target;
  private final EncryptionKeys keys;
  private final Cancellation cancellation;

  Restorer(TargetDatabase target, EncryptionKeys keys, Cancellation cancellation) {
    this.target = target;
    this.keys = keys;
    this.cancellation = cancellation;
  }

  /** pg_restore able to read the archive and write to a server of {@code serverMajor}. */
  PgTools.Tool tool(StoredBackup backup, int serverMajor) throws ProcedureFailure {
    int dumpMajor = major(backup.manifest().dump().toolVersion());
    try {
      return PgTools.find(
          "pg_restore", target.config().pgBinDir(), Math.max(serverMajor, dumpMajor));
    } catch (IllegalStateException e) {
      throw new ProcedureFailure(ErrorCode.CLIENT_TOOL_UNSUITABLE, e.getMessage(), e);
    }
  }

  /**
   * Feeds the backup to pg_restore.
   *
   * @param checkStoredBytes read the stored bytes to their end and compare them with the manifest
   *     (when they come straight from the object store)
   * @return pg_restore's exit, successful
   */
  PgRestore.Exit run(
      BackupReader reader,
      PgTools.Tool tool,
      List<String> arguments,
      Map<String, String> environment,
      boolean checkStoredBytes)
      throws ProcedureFailure, InterruptedException {
    return run(reader, new PgRestore(tool, arguments, environment), checkStoredBytes);
  }

  PgRestore.Exit run(BackupReader reader, PgRestore process, boolean checkStoredBytes)
      throws ProcedureFailure, InterruptedException {
    PgRestore.Exit exit;
    try {
      InputStream archive;
      try {
        archive = reader.archive(keys);
      } catch (IOException e) {
        exit = new PgRestore.Exit(-1, "", "", e);
        return judge(reader, exit, checkStoredBytes);
      }
      exit = process.run(archive, cancellation);
    } catch (IOException e) {
      throw new ProcedureFailure(
          ErrorCode.PG_RESTORE_FAILED, "cannot run pg_restore: " + e.getMessage(), e);
    }
    return judge(reader, exit, checkStoredBytes);
  }

  private PgRestore.Exit judge(BackupReader reader, PgRestore.Exit exit, boolean checkStoredBytes)
      throws ProcedureFailure {
    if (checkStoredBytes) {
      reader.requireIntact();
    }
    if (exit.archiveError() != null) {
      throw undecodable(exit.archiveError());
    }
    if (exit.code() != 0) {
      String stderr = target.redact(Redaction.redact(exit.stderr()));
      throw new ProcedureFailure(
          ErrorCode.PG_RESTORE_FAILED,
          "pg_restore exited with code "
              + exit.code()
              + ": "
              + (stderr.isEmpty() ? "(no output)" : stderr));
    }
    return exit;
  }

  /** Stored bytes that are intact but do not decode: a missing key, or a damaged encoding. */
  static ProcedureFailure undecodable(IOException e) {
    ErrorCode code =
        e.getMessage() != null
                && (e.getMessage().contains("does not have")
                    || e.getMessage().contains("does not open"))
            ? ErrorCode.ENCRYPTION_KEY_UNAVAILABLE
            : ErrorCode.INTEGRITY_FAILED;
    return new ProcedureFailure(
        code, "the backup's content cannot be decoded: " + e.getMessage(), e);
  }

  private static int major(String version) {
    try {
      return Integer.parseInt(version.split("\\.")[0]);
    } catch (RuntimeException e) {
      return 0;
    }
  }
}
