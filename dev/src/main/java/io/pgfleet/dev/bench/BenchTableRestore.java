package io.pgfleet.dev.bench;

import io.pgfleet.bench.Report;
import io.pgfleet.bench.tablerestore.TableRestoreBench;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code pgfleet bench table-restore}. */
@Command(
    name = "table-restore",
    mixinStandardHelpOptions = true,
    description =
        "One table restored from a stored backup through a worker (ranged GETs of the TOC and"
            + " its block) against a full restore of the same backup into a new database.")
final class BenchTableRestore extends SideBySideScenario {
  @Mixin DatabaseSize size;

  @Override
  Report run(Path d) throws Exception {
    return TableRestoreBench.run(
        new TableRestoreBench.Options(size.bytes(), sides.count, d), System.err);
  }
}
