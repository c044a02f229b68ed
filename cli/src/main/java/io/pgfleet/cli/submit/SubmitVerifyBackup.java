package io.pgfleet.cli.submit;

import io.pgfleet.commands.Commands;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.VerifyBackupParams;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pgfleet submit verify-backup}. */
@Command(
    name = "verify-backup",
    mixinStandardHelpOptions = true,
    description = "Restore drill: restore a backup into a scratch database and compare counts.")
public final class SubmitVerifyBackup implements Callable<Integer> {
  @Mixin SubmitOptions common;

  @Option(
      names = "--artifact",
      defaultValue = "latest",
      description = "latest (default) or the artifact's s3:// URI")
  String artifact;

  @Override
  public Integer call() throws Exception {
    return Submission.submit(
        common,
        Commands.of(Operation.VERIFY_BACKUP, common.target, new VerifyBackupParams(artifact)));
  }
}
