package io.pgfleet.cli.submit;

import io.pgfleet.commands.Commands;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pgfleet submit purge}. */
@Command(
    name = "purge",
    mixinStandardHelpOptions = true,
    description =
        "Retention purge by a policy of the target's worker config: expired rows deleted (or"
            + " archived, then deleted) in short batches, then ANALYZE.")
public final class SubmitPurge implements Callable<Integer> {
  @Mixin SubmitOptions common;

  @Option(
      names = {"-p", "--policy"},
      required = true,
      description = "Name of a purge policy configured for the target, e.g. outbox-published")
  String policy;

  @Override
  public Integer call() throws Exception {
    return Submission.submit(common, () -> Commands.purge(common.target, policy));
  }
}
