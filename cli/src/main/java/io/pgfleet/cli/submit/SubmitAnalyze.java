package io.pgfleet.cli.submit;

import io.pgfleet.commands.AnalyzeParams;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.OperationParams;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pgfleet submit analyze}. */
@Command(
    name = "analyze",
    mixinStandardHelpOptions = true,
    description = "ANALYZE (planner statistics) of the whole database or the tables named.")
public final class SubmitAnalyze extends OperationSubmit {
  SubmitAnalyze() {
    super(Operation.ANALYZE);
  }

  @Option(names = "--table", description = "table or schema.table (repeatable); default: all")
  List<String> tables = new ArrayList<>();

  @Override
  OperationParams params() {
    return new AnalyzeParams(tables);
  }
}
