package io.pgfleet.cli.submit;

import io.pgfleet.commands.AnalyzeParams;
import io.pgfleet.commands.Commands;
import io.pgfleet.commands.Operation;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pgfleet submit analyze}. */
@Command(
    name = "analyze",
    mixinStandardHelpOptions = true,
    description = "ANALYZE (planner statistics) of the whole database or the tables named.")
public final class SubmitAnalyze implements Callable<Integer> {
  @Mixin SubmitOptions common;

  @Option(names = "--table", description = "table or schema.table (repeatable); default: all")
  List<String> tables = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    return Submission.submit(
        common, Commands.of(Operation.ANALYZE, common.target, new AnalyzeParams(tables)));
  }
}
