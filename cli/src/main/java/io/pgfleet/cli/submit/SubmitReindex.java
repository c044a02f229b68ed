package io.pgfleet.cli.submit;

import io.pgfleet.commands.Commands;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.ReindexParams;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pgfleet submit reindex}. */
@Command(
    name = "reindex",
    mixinStandardHelpOptions = true,
    description = "REINDEX CONCURRENTLY an index, a table's indexes, or the whole database.")
public final class SubmitReindex implements Callable<Integer> {
  @Mixin SubmitOptions common;

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
  public Integer call() throws Exception {
    ReindexParams params = new ReindexParams(index, table, database, !blocking, dropInvalid);
    return Submission.submit(common, Commands.of(Operation.REINDEX, common.target, params));
  }
}
