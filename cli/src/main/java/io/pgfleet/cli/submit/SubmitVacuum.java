package io.pgfleet.cli.submit;

import io.pgfleet.commands.Commands;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.VacuumParams;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pgfleet submit vacuum}. */
@Command(
    name = "vacuum",
    mixinStandardHelpOptions = true,
    description = "VACUUM (ANALYZE) the whole database or the tables named.")
public final class SubmitVacuum implements Callable<Integer> {
  @Mixin SubmitOptions common;

  @Option(names = "--table", description = "table or schema.table (repeatable); default: all")
  List<String> tables = new ArrayList<>();

  @Option(names = "--no-analyze", description = "Do not update planner statistics")
  boolean noAnalyze;

  @Option(names = "--freeze", description = "VACUUM FREEZE")
  boolean freeze;

  @Option(
      names = "--full",
      description = "VACUUM FULL: locks each table while rewriting it; the target must allow it")
  boolean full;

  @Override
  public Integer call() throws Exception {
    VacuumParams params = new VacuumParams(tables, !noAnalyze, freeze, full);
    return Submission.submit(common, Commands.of(Operation.VACUUM, common.target, params));
  }
}
