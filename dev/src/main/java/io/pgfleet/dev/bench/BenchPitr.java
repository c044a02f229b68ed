package io.pgfleet.dev.bench;

import io.pgfleet.bench.pitr.PitrRtoBench;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pgfleet bench pitr}. */
@Command(
    name = "pitr",
    mixinStandardHelpOptions = true,
    description =
        "Recovery time (RTO) of restore-pitr: a database of --size, base-backed up, then as much"
            + " WAL again streamed to S3, recovered to the end of the archive; then the physical"
            + " drill (verify-base-backup) of the same backup.")
final class BenchPitr implements Callable<Integer> {
  @Mixin DatabaseSize size;

  @Option(
      names = "--runs",
      defaultValue = "1",
      description = "How many restores of the same backup and WAL (default: ${DEFAULT-VALUE})")
  int runs;

  @Mixin BenchDir benchDir;

  @Override
  public Integer call() throws Exception {
    String pgfleet = Launcher.serverCommand();
    return BenchRun.in(
        benchDir.dir,
        d ->
            PitrRtoBench.run(new PitrRtoBench.Options(size.bytes(), runs, d, pgfleet), System.err));
  }
}
