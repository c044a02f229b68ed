package io.pgfleet.cli;

import io.pgfleet.commands.ArtifactSelector;
import io.pgfleet.commands.BaseBackupParams;
import io.pgfleet.commands.Commands;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.RestorePitrParams;
import io.pgfleet.commands.VerifyBaseBackupParams;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pgfleet submit} subcommands of point-in-time recovery. */
final class PitrSubmits {
  private PitrSubmits() {}

  /** {@code pgfleet submit base-backup}. */
  @Command(
      name = "base-backup",
      mixinStandardHelpOptions = true,
      description =
          "Physical base backup (pg_basebackup, tar, WAL included) to S3: where PITR starts.")
  static final class BaseBackup implements Callable<Integer> {
    @Mixin SubmitCommand.Common common;

    @Option(
        names = "--checkpoint",
        description = "fast (default: start now, an I/O burst) or spread (gentle, slower to start)")
    String checkpoint;

    @Override
    public Integer call() throws Exception {
      return SubmitCommand.submit(
          common,
          Commands.of(Operation.BASE_BACKUP, common.target, new BaseBackupParams(checkpoint)));
    }
  }

  /** At most one recovery target; none recovers to the end of the archive. */
  static final class RecoveryTarget {
    @Option(
        names = "--target-time",
        description = "Stop before the first commit after this instant (2026-11-21T14:29:00Z)")
    Instant time;

    @Option(names = "--target-lsn", description = "Stop at this LSN (0/3000060)")
    String lsn;

    @Option(names = "--target-xid", description = "Stop after this transaction id")
    String xid;

    @Option(
        names = "--target-name",
        description = "Stop at this restore point (pg_create_restore_point)")
    String name;
  }

  /** {@code pgfleet submit restore-pitr}. */
  @Command(
      name = "restore-pitr",
      mixinStandardHelpOptions = true,
      description = {
        "Point-in-time recovery into a new data directory on the worker's host, started on --port;"
            + " the running original is never touched.",
        "Without a --target-* option recovery runs to the end of the archive."
      })
  static final class RestorePitr implements Callable<Integer> {
    @Mixin SubmitCommand.Common common;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    RecoveryTarget recoveryTarget = new RecoveryTarget();

    @Option(
        names = "--base-backup",
        description =
            "latest (default: the newest finished before --target-time) or the s3 URI of a"
                + " cataloged base backup (pgfleet backups list)")
    String baseBackup = ArtifactSelector.LATEST;

    @Option(
        names = "--directory",
        required = true,
        description = "The new data directory's name below the target's pitr.restoreRoot")
    String directory;

    @Option(
        names = "--port",
        required = true,
        description = "The port the recovered server listens on")
    int port;

    @Override
    public Integer call() throws Exception {
      RecoveryTarget t = recoveryTarget;
      RestorePitrParams params =
          new RestorePitrParams(baseBackup, t.time, t.lsn, t.xid, t.name, directory, port);
      return SubmitCommand.submit(
          common, Commands.of(Operation.RESTORE_PITR, common.target, params));
    }
  }

  /** {@code pgfleet submit verify-base-backup}. */
  @Command(
      name = "verify-base-backup",
      mixinStandardHelpOptions = true,
      description =
          "Physical restore drill: a base backup plus WAL recovered in a scratch directory,"
              + " checked with pg_verifybackup and pg_amcheck, removed; reports the RTO.")
  static final class VerifyBaseBackup implements Callable<Integer> {
    @Mixin SubmitCommand.Common common;

    @Option(
        names = "--base-backup",
        description = "latest (default) or the s3 URI of a cataloged base backup")
    String baseBackup = ArtifactSelector.LATEST;

    @Override
    public Integer call() throws Exception {
      return SubmitCommand.submit(
          common,
          Commands.of(
              Operation.VERIFY_BASE_BACKUP, common.target, new VerifyBaseBackupParams(baseBackup)));
    }
  }
}
