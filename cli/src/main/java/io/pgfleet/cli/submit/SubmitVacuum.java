package io.pgfleet.cli.submit;

import io.pgfleet.commands.Operation;
import io.pgfleet.commands.OperationParams;
import io.pgfleet.commands.VacuumParams;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pgfleet submit vacuum}. */
@Command(
    name = "vacuum",
    mixinStandardHelpOptions = true,
    description = "VACUUM (ANALYZE) the whole database or the tables named.")
public final class SubmitVacuum extends OperationSubmit {
  SubmitVacuum() {
    super(Operation.VACUUM);
  }

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
  OperationParams params() {
    VacuumParams params = new VacuumParams(tables, !noAnalyze, freeze, full);
    return params;
  }
}
