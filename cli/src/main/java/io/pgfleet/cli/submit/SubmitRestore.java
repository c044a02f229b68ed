package io.pgfleet.cli.submit;

import io.pgfleet.commands.Operation;
import io.pgfleet.commands.OperationParams;
import io.pgfleet.commands.RestoreParams;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pgfleet submit restore}. */
@Command(
    name = "restore",
    mixinStandardHelpOptions = true,
    description = "Restore a backup: into a new database, replacing the database, or tables.")
public final class SubmitRestore extends OperationSubmit {
  SubmitRestore() {
    super(Operation.RESTORE);
  }

  @Option(names = "--artifact", defaultValue = "latest", description = "latest or s3:// URI")
  String artifact;

  @Option(names = "--mode", required = true, description = "new-database, replace or tables")
  String mode;

  @Option(names = "--database", description = "new-database: the database to create")
  String database;

  @Option(names = "--table", description = "tables: a table to restore (repeatable)")
  List<String> tables;

  @Option(names = "--data-only", description = "tables: rows into existing, empty tables")
  Boolean dataOnly;

  @Option(names = "--truncate", description = "tables with --data-only: empty them first")
  Boolean truncate;

  @Option(names = "--confirm", description = "The target's name; destructive restores need it")
  String confirm;

  @Option(
      names = "--source-target",
      description =
          "Restore a backup of this other target (e.g. production into staging); the"
              + " destination's restore.allowedSources must list it (the worker checks)")
  String sourceTarget;

  @Override
  OperationParams params() {
    RestoreParams params =
        new RestoreParams(
            artifact,
            RestoreParams.Mode.fromWireName(mode),
            database,
            tables,
            dataOnly,
            truncate,
            confirm,
            sourceTarget);
    return params;
  }
}
