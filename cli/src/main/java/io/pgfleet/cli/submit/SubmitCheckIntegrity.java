package io.pgfleet.cli.submit;

import io.pgfleet.commands.CheckIntegrityParams;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.OperationParams;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pgfleet submit check-integrity}. */
@Command(
    name = "check-integrity",
    mixinStandardHelpOptions = true,
    description = "pg_amcheck over tables and btree indexes, and checksum failures (read-only).")
public final class SubmitCheckIntegrity extends OperationSubmit {
  SubmitCheckIntegrity() {
    super(Operation.CHECK_INTEGRITY);
  }

  @Option(
      names = "--time-budget",
      description = "start no new table after this long (default 1h); the next run goes on")
  Duration timeBudget;

  @Option(names = "--from-start", description = "start at the first table again")
  boolean fromStart;

  @Override
  OperationParams params() {
    CheckIntegrityParams params =
        new CheckIntegrityParams(seconds(timeBudget, "--time-budget"), fromStart);
    return params;
  }
}
