package io.pgfleet.cli.submit;

import io.pgfleet.commands.BaseBackupParams;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.OperationParams;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pgfleet submit base-backup}. */
@Command(
    name = "base-backup",
    mixinStandardHelpOptions = true,
    description =
        "Physical base backup (pg_basebackup, tar, WAL included) to S3: where PITR starts.")
public final class SubmitBaseBackup extends OperationSubmit {
  SubmitBaseBackup() {
    super(Operation.BASE_BACKUP);
  }

  @Option(
      names = "--checkpoint",
      description = "fast (default: start now, an I/O burst) or spread (gentle, slower to start)")
  String checkpoint;

  @Override
  OperationParams params() {
    return new BaseBackupParams(checkpoint);
  }
}
