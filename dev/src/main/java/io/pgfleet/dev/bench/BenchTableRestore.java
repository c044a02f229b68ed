package io.pgfleet.dev.bench;

import io.pgfleet.bench.DataSize;
import io.pgfleet.bench.tablerestore.TableRestoreBench;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pgfleet bench table-restore}. */
@Command(
    name = "table-restore",
    mixinStandardHelpOptions = true,
    description =
        "One table restored from a stored backup through a worker (ranged GETs of the TOC and"
            + " its block) against a full restore of the same backup into a new database.")
final class BenchTableRestore implements Callable<Integer> {
  @Option(
      names = "--size",
      defaultValue = "1GB",
      description = "Database size (default: ${DEFAULT-VALUE})")
  String size;

  @Mixin RunsPerSide sides;

  @Mixin BenchDir benchDir;

  @Override
  public Integer call() throws Exception {
    return BenchRun.in(
        benchDir.dir,
        d ->
            TableRestoreBench.run(
                new TableRestoreBench.Options(DataSize.parse(size), sides.count, d), System.err));
  }
}
