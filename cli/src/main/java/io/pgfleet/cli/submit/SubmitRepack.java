package io.pgfleet.cli.submit;

import io.pgfleet.commands.Commands;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.RepackParams;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pgfleet submit repack}. */
@Command(
    name = "repack",
    mixinStandardHelpOptions = true,
    description = "pg_repack tables online (the alternative to VACUUM FULL).")
public final class SubmitRepack implements Callable<Integer> {
  @Mixin SubmitOptions common;

  @Option(names = "--table", description = "table or schema.table (repeatable)")
  List<String> tables = new ArrayList<>();

  @Option(names = "--bloated", description = "the tables the last health check found bloated")
  boolean bloated;

  @Mixin DryRunOrConfirm change;

  @Override
  public Integer call() throws Exception {
    return Submission.submit(
        common,
        Commands.of(
            Operation.REPACK,
            common.target,
            new RepackParams(tables, bloated, change.dryRun, change.confirm)));
  }
}
