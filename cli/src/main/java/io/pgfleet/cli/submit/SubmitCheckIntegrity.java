package io.pgfleet.cli.submit;

import io.pgfleet.commands.CheckIntegrityParams;
import io.pgfleet.commands.Commands;
import io.pgfleet.commands.Operation;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pgfleet submit check-integrity}. */
@Command(
    name = "check-integrity",
    mixinStandardHelpOptions = true,
    description = "pg_amcheck over tables and btree indexes, and checksum failures (read-only).")
public final class SubmitCheckIntegrity implements Callable<Integer> {
  @Mixin SubmitOptions common;

  @Option(
      names = "--time-budget",
      description = "start no new table after this long (default 1h); the next run goes on")
  Duration timeBudget;

  @Option(names = "--from-start", description = "start at the first table again")
  boolean fromStart;

  @Override
  public Integer call() throws Exception {
    CheckIntegrityParams params =
        new CheckIntegrityParams(
            timeBudget == null ? null : Math.toIntExact(timeBudget.toSeconds()), fromStart);
    return Submission.submit(common, Commands.of(Operation.CHECK_INTEGRITY, common.target, params));
  }
}
