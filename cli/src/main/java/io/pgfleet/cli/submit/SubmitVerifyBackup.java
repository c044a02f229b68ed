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
    description = "Restore drill: restore a backup into a scratch database and prove its content.")
public final class SubmitVerifyBackup extends OperationSubmit {
  SubmitVerifyBackup() {
    super(Operation.VERIFY_BACKUP);
  }

  @Option(
      names = "--artifact",
      defaultValue = "latest",
      description = "latest (default) or the artifact's s3:// URI")
  String artifact;

  @Option(
      names = "--jobs",
      description =
          "parallel pg_restore jobs; 1: streamed from S3; more write the decoded archive to the"
              + " worker's backup.workDir first, as pg_restore --jobs needs a file (default: the"
              + " worker chooses, 2 where it may write that file, else streamed)")
  Integer jobs;

  @Override
  OperationParams params() {
    return new VerifyBackupParams(artifact, jobs);
  }
}
