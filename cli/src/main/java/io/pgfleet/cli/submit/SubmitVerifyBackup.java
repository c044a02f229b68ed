package io.pgfleet.cli.submit;

import io.pgfleet.commands.Operation;
import io.pgfleet.commands.OperationParams;
import io.pgfleet.commands.VerifyBackupParams;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pgfleet submit verify-backup}. */
@Command(
    name = "verify-backup",
    mixinStandardHelpOptions = true,
    description = "Restore drill: restore a backup into a scratch database and compare counts.")
public final class SubmitVerifyBackup extends OperationSubmit {
  SubmitVerifyBackup() {
    super(Operation.VERIFY_BACKUP);
  }

  @Option(
      names = "--artifact",
      defaultValue = "latest",
      description = "latest (default) or the artifact's s3:// URI")
  String artifact;

  @Override
  OperationParams params() {
    return new VerifyBackupParams(artifact);
  }
}
