package io.pgfleet.cli.submit;

import io.pgfleet.commands.ArtifactSelector;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.OperationParams;
import io.pgfleet.commands.VerifyBaseBackupParams;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pgfleet submit verify-base-backup}. */
@Command(
    name = "verify-base-backup",
    mixinStandardHelpOptions = true,
    description =
        "Physical restore drill: a base backup plus WAL recovered in a scratch directory,"
            + " checked with pg_verifybackup and pg_amcheck, removed; reports the RTO.")
public final class SubmitVerifyBaseBackup extends OperationSubmit {
  SubmitVerifyBaseBackup() {
    super(Operation.VERIFY_BASE_BACKUP);
  }

  @Option(
      names = "--base-backup",
      description = "latest (default) or the s3 URI of a cataloged base backup")
  String baseBackup = ArtifactSelector.LATEST;

  @Override
  OperationParams params() {
    return new VerifyBaseBackupParams(baseBackup);
  }
}
