package io.pgfleet.cli.submit;

import io.pgfleet.commands.Commands;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.PruneBackupsParams;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code pgfleet submit prune-backups}. */
@Command(
    name = "prune-backups",
    mixinStandardHelpOptions = true,
    description = "Apply the target's retention policy to its backups.")
public final class SubmitPruneBackups implements Callable<Integer> {
  @Mixin SubmitOptions common;

  @Mixin DryRunOrConfirm change;

  @Override
  public Integer call() throws Exception {
    return Submission.submit(
        common,
        Commands.of(
            Operation.PRUNE_BACKUPS,
            common.target,
            new PruneBackupsParams(change.dryRun, change.confirm)));
  }
}
