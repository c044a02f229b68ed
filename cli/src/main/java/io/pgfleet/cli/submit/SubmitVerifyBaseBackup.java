package io.pgfleet.cli.submit;

import io.pgfleet.commands.ArtifactSelector;
import io.pgfleet.commands.Commands;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.VerifyBaseBackupParams;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pgfleet submit verify-base-backup}. */
@Command(
    name = "verify-base-backup",
    mixinStandardHelpOptions = true,
    description =
        "Physical restore drill: a base backup plus WAL recovered in a scratch directory,"
            + " checked with pg_verifybackup and pg_amcheck, removed; reports the RTO.")
public final class SubmitVerifyBaseBackup implements Callable<Integer> {
  @Mixin SubmitOptions common;

  @Option(
      names = "--base-backup",
      description = "latest (default) or the s3 URI of a cataloged base backup")
  String baseBackup = ArtifactSelector.LATEST;

  @Override
  public Integer call() throws Exception {
    return Submission.submit(
        common,
        Commands.of(
            Operation.VERIFY_BASE_BACKUP, common.target, new VerifyBaseBackupParams(baseBackup)));
  }
}
