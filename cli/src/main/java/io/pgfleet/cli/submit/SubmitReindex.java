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
    description = "REINDEX CONCURRENTLY an index, a table's indexes, or the whole database.")
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
      names = "--blocking",
      description = "Rebuild without CONCURRENTLY (blocks writes); the target must allow it")
  boolean blocking;

  @Option(
      names = "--drop-invalid",
      description = "Drop _ccnew/_ccold leftovers of failed rebuilds first, retry once")
  boolean dropInvalid;

  @Override
  OperationParams params() {
    ReindexParams params = new ReindexParams(index, table, database, !blocking, dropInvalid);
    return params;
  }
}
