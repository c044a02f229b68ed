package io.pgfleet.worker.procedure.restore;

import io.pgfleet.commands.Command;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.RestoreParams;
import io.pgfleet.commands.result.ErrorCode;
import io.pgfleet.worker.config.EncryptionKeys;
import io.pgfleet.worker.config.TargetConfig;
import io.pgfleet.worker.failure.ProcedureFailure;
import io.pgfleet.worker.ledger.BackupCatalog;
import io.pgfleet.worker.procedure.Confirmation;
import io.pgfleet.worker.procedure.Procedure;
import io.pgfleet.worker.procedure.ProcedureResult;
import io.pgfleet.worker.procedure.RunContext;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Restores a logical backup of the target, in one of three modes: into a new database, replacing
 * the target database, or selected tables into it.
 *
 * <p>Whatever the mode, nothing is created, dropped or written before the artifact is proven whole:
 * it is downloaded to a private temporary file while its sha256 is computed, and only a file whose
 * size and sha256 equal the manifest's is restored. Hashing while streaming into pg_restore would
 * only find a damaged object after pg_restore had consumed it; hashing in one pass and restoring
 * from a second download would restore bytes nobody checked (the object can change in between). The
 * file costs local disk of the stored (compressed, still encrypted) size. A directory-format backup
 * is checked file by file the same way ({@link DirectoryDownload}) and restored with parallel jobs.
 */
public final class RestoreProcedure implements Procedure {
  private final BackupCatalog catalog;
  private final EncryptionKeys keys;
  private final Clock clock;

  public RestoreProcedure(BackupCatalog catalog, EncryptionKeys keys, Clock clock) {
    this.catalog = catalog;
    this.keys = keys;
    this.clock = clock;
  }

  @Override
  public Operation operation() {
    return Operation.RESTORE;
  }

  @Override
  public ProcedureResult execute(RunContext ctx) throws ProcedureFailure, InterruptedException {
    Command command = ctx.command();
    RestoreParams params = command.params(RestoreParams.class);
    TargetConfig config = ctx.target().config();
    String source = params.sourceTarget() == null ? command.target() : params.sourceTarget();
    boolean otherTarget = !source.equals(command.target());
    if (otherTarget) {
      requireAllowedSource(config, source, command.target());
    }
    if (params.mode() == RestoreParams.Mode.REPLACE || params.truncate()) {
      requireOverwriteAllowed(config, params, command.target());
    }
    if (otherTarget) {
      requireConfirmedCopy(params, source, command.target());
    }
    StoredBackup backup = StoredBackup.resolve(ctx.store(), catalog, source, params.artifact());
    backup.requireKey(keys);
    long t0 = clock.millis();
    try (LocalCopy copy = localCopy(ctx, backup, params)) {
      Map<String, Object> stats = new LinkedHashMap<>();
      stats.put("mode", params.mode().wireName());
      stats.put("sourceTarget", source);
      stats.put("artifact", backup.uri());
      stats.put("backupCommandId", backup.manifest().commandId());
      stats.put("sha256Verified", true);
      stats.put("bytesRead", copy.bytesRead());
      DatabaseRestore restore = new DatabaseRestore(ctx, keys, backup, copy);
      switch (params.mode()) {
        case NEW_DATABASE -> stats.putAll(restore.intoNewDatabase(params.database()));
        case REPLACE -> stats.putAll(restore.replace());
        case TABLES ->
            stats.putAll(
                new TablesRestore(ctx, keys, backup, copy)
                    .restore(params.tables(), params.dataOnly(), params.truncate()));
      }
      stats.put("restoreMs", clock.millis() - t0);
      return new ProcedureResult(List.of(), stats);
    }
  }

  /** Restoring tables reads only their ranges of a seekable backup; anything else, all of it. */
  private LocalCopy localCopy(RunContext ctx, StoredBackup backup, RestoreParams params)
      throws ProcedureFailure, InterruptedException {
    if (params.mode() == RestoreParams.Mode.TABLES) {
      java.util.Set<String> tables = new java.util.HashSet<>();
      for (String name : params.tables()) {
        try {
          tables.add(io.pgfleet.worker.sql.TableRef.parse(name).toString());
        } catch (IllegalArgumentException e) {
          return LocalCopy.download(ctx, backup, keys, workDir()); // TablesRestore says why
        }
      }
      return LocalCopy.forTables(ctx, backup, keys, workDir(), tables);
    }
    return LocalCopy.download(ctx, backup, keys, workDir());
  }

  /** Destructive restores need the target's permission and the target's name as confirmation. */
  static void requireOverwriteAllowed(TargetConfig config, RestoreParams params, String target)
      throws ProcedureFailure {
    String what =
        params.mode() == RestoreParams.Mode.REPLACE ? "replacing the database" : "truncate";
    if (!config.restore().allowOverwrite()) {
      throw new ProcedureFailure(
          ErrorCode.OPERATION_NOT_ALLOWED,
          "target "
              + target
              + " does not allow destructive restores ("
              + what
              + "): set restore.allowOverwrite: true for it in the worker config if it should");
    }
    Confirmation.require(
        target,
        params.confirm(),
        what + " destroys the current data of " + target,
        "nothing was changed");
  }

  /**
   * Another target's data only arrives where the destination's config lists that target. The
   * message never names what else the list holds, as UNKNOWN_TARGET never names other targets.
   */
  static void requireAllowedSource(TargetConfig config, String source, String target)
      throws ProcedureFailure {
    if (!config.restore().allowsSource(source)) {
      throw new ProcedureFailure(
          ErrorCode.OPERATION_NOT_ALLOWED,
          "target "
              + target
              + " does not take backups of "
              + source
              + ": add "
              + source
              + " to restore.allowedSources of "
              + target
              + " in the worker config if it should; nothing was read or changed");
    }
  }

  /** Another target's data only arrives with the destination's name as confirmation. */
  static void requireConfirmedCopy(RestoreParams params, String source, String target)
      throws ProcedureFailure {
    Confirmation.require(
        target,
        params.confirm(),
        "restoring a backup of " + source + " into " + target + " copies data between environments",
        "the command must also be signed; nothing was changed");
  }

  private static Path workDir() {
    return Path.of(System.getProperty("java.io.tmpdir"), "pgfleet-restore");
  }
}
