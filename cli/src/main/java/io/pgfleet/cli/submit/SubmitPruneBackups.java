package io.pgfleet.cli.submit;

import io.pgfleet.commands.Operation;
import io.pgfleet.commands.OperationParams;
import io.pgfleet.commands.PruneBackupsParams;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code pgfleet submit prune-backups}. */
@Command(
    name = "prune-backups",
    mixinStandardHelpOptions = true,
    description = "Apply the target's retention policy to its backups.")
public final class SubmitPruneBackups extends OperationSubmit {
  SubmitPruneBackups() {
    super(Operation.PRUNE_BACKUPS);
  }

  @Mixin DryRunOrConfirm change;

  @Override
  OperationParams params() {
    return new PruneBackupsParams(change.dryRun, change.confirm);
  }
}
