package io.pgfleet.dev.bench;

import io.pgfleet.bench.wal.WalPushBench;
import io.pgfleet.cli.Main;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pgfleet bench wal-push}. */
@Command(
    name = "wal-push",
    mixinStandardHelpOptions = true,
    description =
        "WAL archiving as PostgreSQL's archiver runs it (a process per segment): pgfleet"
            + " wal-push to S3 against the runbooks' cp %%p /archive/%%f, plus the cost per"
            + " segment without the process start.")
final class BenchWalPush implements Callable<Integer> {
  @Option(
      names = "--segments",
      defaultValue = "64",
      description = "WAL segments of 16 MiB to archive (default: ${DEFAULT-VALUE})")
  int segments;

  @Mixin RunsPerSide sides;

  @Mixin BenchDir benchDir;

  @Option(
      names = "--spool",
      description =
          "Also archive with wal-push --spool through the ./pgfleet launcher (run the bench"
              + " through it)")
  boolean spool;

  @Override
  public Integer call() throws Exception {
    Path launcher = spool ? Launcher.path() : null;
    // the archiver starts this very program, as archive_command would
    List<String> pgfleet =
        List.of(
            ProcessHandle.current().info().command().orElse("java"),
            "-cp",
            System.getProperty("java.class.path"),
            Main.class.getName());
    return BenchRun.in(
        benchDir.dir,
        d ->
            WalPushBench.run(
                new WalPushBench.Options(segments, sides.count, d, pgfleet, launcher), System.err));
  }
}
