package io.pgfleet.cli.submit;

import io.pgfleet.commands.Operation;
import io.pgfleet.commands.OperationParams;
import io.pgfleet.commands.ReindexParams;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pgfleet submit reindex}. */
@Command(
    name = "reindex",
    mixinStandardHelpOptions = true,
    description =
        "REINDEX CONCURRENTLY an index, a table's indexes, the whole database, or the indexes"
            + " the index-bloat estimate flags.")
public final class SubmitReindex extends OperationSubmit {
  SubmitReindex() {
    super(Operation.REINDEX);
  }

  @Option(names = "--index", description = "index or schema.index")
  String index;

  @Option(names = "--table", description = "every index of this table")
  String table;

  @Option(names = "--database", description = "every index of the database")
  boolean database;

  @Option(
      names = "--bloated",
      description = "only the btree indexes the index-bloat estimate flags, one REINDEX each")
  boolean bloated;

  @Option(names = "--dry-run", description = "Only list what would be rebuilt; change nothing")
  boolean dryRun;

  @Option(
      names = "--blocking",
      description = "Rebuild without CONCURRENTLY (blocks writes); the target must allow it")
  boolean blocking;

  @Option(
      names = "--drop-invalid",
      description = "Drop _ccnew/_ccold leftovers of failed rebuilds first, retry once")
  boolean dropInvalid;

  @Override
  OperationParams params() {
    return new ReindexParams(index, table, database, bloated, !blocking, dropInvalid, dryRun);
  }
}
