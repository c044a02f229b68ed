package io.pgfleet.cli.submit;

import io.pgfleet.commands.Operation;
import io.pgfleet.commands.OperationParams;
import io.pgfleet.commands.RepackParams;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pgfleet submit repack}. */
@Command(
    name = "repack",
    mixinStandardHelpOptions = true,
    description = "pg_repack tables online (the alternative to VACUUM FULL).")
public final class SubmitRepack extends OperationSubmit {
  SubmitRepack() {
    super(Operation.REPACK);
  }

  @Option(names = "--table", description = "table or schema.table (repeatable)")
  List<String> tables = new ArrayList<>();

  @Option(names = "--bloated", description = "the tables the last health check found bloated")
  boolean bloated;

  @Mixin DryRunOrConfirm change;

  @Override
  OperationParams params() {
    return new RepackParams(tables, bloated, change.dryRun, change.confirm);
  }
}
