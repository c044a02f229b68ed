package io.pgfleet.cli.submit;

import io.pgfleet.commands.BaseBackupParams;
import io.pgfleet.commands.Commands;
import io.pgfleet.commands.Operation;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pgfleet submit base-backup}. */
@Command(
    name = "base-backup",
    mixinStandardHelpOptions = true,
    description =
        "Physical base backup (pg_basebackup, tar, WAL included) to S3: where PITR starts.")
public final class SubmitBaseBackup implements Callable<Integer> {
  @Mixin SubmitOptions common;

  @Option(
      names = "--checkpoint",
      description = "fast (default: start now, an I/O burst) or spread (gentle, slower to start)")
  String checkpoint;

  @Override
  public Integer call() throws Exception {
    return Submission.submit(
        common,
        Commands.of(Operation.BASE_BACKUP, common.target, new BaseBackupParams(checkpoint)));
  }
}
