package io.pgfleet.worker.procedure.verify;

import io.pgfleet.commands.Command;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.VerifyBackupParams;
import io.pgfleet.commands.result.ErrorCode;
import io.pgfleet.commands.result.Finding;
import io.pgfleet.worker.config.EncryptionKeys;
import io.pgfleet.worker.failure.ProcedureFailure;
import io.pgfleet.worker.ledger.BackupCatalog;
import io.pgfleet.worker.ledger.CatalogChange;
import io.pgfleet.worker.procedure.Procedure;
import io.pgfleet.worker.procedure.ProcedureResult;
import io.pgfleet.worker.procedure.RunContext;
import io.pgfleet.worker.procedure.restore.Drill;
import io.pgfleet.worker.procedure.restore.DrillJobs;
import io.pgfleet.worker.procedure.restore.StoredBackup;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A restore drill that proves one backup: the artifact streams from S3 into a scratch database with
 * its sha256 checked on the way (or is restored with jobs from a decoded local copy, {@link
 * DrillJobs}), the restored tables' content (rows, bytes and sha256 of their COPY data; row counts
 * for older or directory backups) is compared table by table with the manifest's, and the scratch
 * database is dropped whatever happens. Success marks the artifact verified in the catalog.
 */
public final class VerifyBackupProcedure implements Procedure {
  private final BackupCatalog catalog;
  private final EncryptionKeys keys;
  private final Clock clock;

  public VerifyBackupProcedure(BackupCatalog catalog, EncryptionKeys keys, Clock clock) {
    this.catalog = catalog;
    this.keys = keys;
    this.clock = clock;
  }

  @Override
  public Operation operation() {
    return Operation.VERIFY_BACKUP;
  }

  @Override
  public ProcedureResult execute(RunContext ctx) throws ProcedureFailure, InterruptedException {
    Command command = ctx.command();
    VerifyBackupParams params = command.params(VerifyBackupParams.class);
    StoredBackup backup =
        StoredBackup.resolve(ctx.store(), catalog, command.target(), params.artifact());
    backup.requireKey(keys);
    DrillJobs jobs = DrillJobs.of(params.jobs(), backup, ctx.target().config().backup());
    requireAllowed(jobs, backup, ctx.target().config().backup().maxJobs());
    long t0 = clock.millis();
    DrillJobs.Ran<Drill.Result> ran = jobs.run(n -> new Drill(ctx, keys).run(backup, n));
    Drill.Result drill = ran.result();

    Map<String, Object> stats = new LinkedHashMap<>();
    stats.put("artifact", backup.uri());
    stats.put("backupCommandId", backup.manifest().commandId());
    stats.put("backupFinishedAt", backup.manifest().finishedAt().toString());
    stats.put("sha256Verified", true);
    stats.put("bytes", backup.manifest().artifact().bytes());
    stats.put("tables", drill.counts().size());
    stats.put("rows", drill.counts().values().stream().mapToLong(Long::longValue).sum());
    stats.put("tablesMatching", drill.counts().size());
    stats.put("contentVerified", drill.contentVerified());
    stats.put("scratchServer", drill.server());
    stats.put("encrypted", backup.encrypted());
    stats.put("compression", backup.manifest().dump().compression());
    stats.put("drillMs", clock.millis() - t0);
    stats.put("restoreJobs", drill.jobs());
    stats.put("restoreJobsChosen", ran.jobs().reason());
    stats.put("restoreMs", drill.restoreMs());
    stats.put("contentCheckMs", drill.checkMs());
    stats.put("tablesReadDuringRestore", drill.tablesReadDuringRestore());
    stats.put("tablesReadInParts", drill.tablesReadInParts());
    List<Finding> rto = RtoCheck.judge(ctx.target().config().rto(), drill.restoreMs(), stats);
    return new ProcedureResult(List.of(), stats, rto)
        .changing(CatalogChange.verified(backup.uri()));
  }

  /**
   * A command's own jobs: at most backup.maxJobs, and never more than 1 for an encrypted backup.
   */
  private static void requireAllowed(DrillJobs jobs, StoredBackup backup, int maxJobs)
      throws ProcedureFailure {
    if (jobs.jobs() > maxJobs) {
      throw new ProcedureFailure(
          ErrorCode.INVALID_COMMAND,
          "jobs " + jobs.jobs() + " is more than this target's backup.maxJobs (" + maxJobs + ")");
    }
    if (jobs.jobs() > 1 && backup.encrypted()) {
      throw new ProcedureFailure(
          ErrorCode.INVALID_COMMAND,
          "jobs above 1 write the decoded archive to the worker's disk, which an encrypted backup"
              + " must not leave in the clear: drill it without jobs (it streams into one"
              + " pg_restore)");
    }
  }
}
