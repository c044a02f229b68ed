package io.pgfleet.dev.bench;

import io.pgfleet.bench.Report;
import io.pgfleet.bench.wal.WalPushBench;
import io.pgfleet.cli.Main;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pgfleet bench wal-push}. */
@Command(
    name = "wal-push",
    mixinStandardHelpOptions = true,
    description =
        "WAL archiving as PostgreSQL's archiver runs it (a process per segment): pgfleet"
            + " wal-push to S3 against the runbooks' cp %%p /archive/%%f, plus the cost per"
            + " segment without the process start.")
final class BenchWalPush extends SideBySideScenario {
  @Option(
      names = "--segments",
      defaultValue = "64",
      description = "WAL segments of 16 MiB to archive (default: ${DEFAULT-VALUE})")
  int segments;

  @Option(
      names = "--spool",
      description =
          "Also archive with wal-push --spool through the ./pgfleet launcher (run the bench"
              + " through it)")
  boolean spool;

  @Option(
      names = "--agent",
      description =
          "Also archive through a resident wal-agent and the shipped pgfleet-wal-push, one"
              + " segment ready at a time (run the bench through the ./pgfleet launcher)")
  boolean agent;

  @Override
  Report run(Path d) throws Exception {
    Path launcher = spool ? Launcher.path() : null;
    Path client =
        agent ? Launcher.path().resolveSibling("deploy/wal-agent/pgfleet-wal-push") : null;
    // the archiver starts this very program, as archive_command would
    List<String> pgfleet =
        List.of(
            ProcessHandle.current().info().command().orElse("java"),
            "-cp",
            System.getProperty("java.class.path"),
            Main.class.getName());
    return WalPushBench.run(
        new WalPushBench.Options(segments, sides.count, d, pgfleet, launcher, client), System.err);
  }
}
