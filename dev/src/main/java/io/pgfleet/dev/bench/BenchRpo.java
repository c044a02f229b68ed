package io.pgfleet.dev.bench;

import io.pgfleet.bench.pitr.RpoCrashBench;
import io.pgfleet.bench.rpo.RpoBench;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pgfleet bench rpo}. */
@Command(
    name = "rpo",
    mixinStandardHelpOptions = true,
    description =
        "How far the archive trails a committing server: per commit, the time until its WAL is"
            + " in the archive streamed by a worker (segments and .partial, to S3) against"
            + " archive_command = cp with archive_timeout; a steady writer, then a quiet one.")
final class BenchRpo implements Callable<Integer> {
  @Option(
      names = "--seconds",
      defaultValue = "60",
      description = "How long the steady writer commits (default: ${DEFAULT-VALUE})")
  int seconds;

  @Option(
      names = "--wal-rate",
      defaultValue = "3",
      description = "The steady writer's MB/s of WAL, roughly (default: ${DEFAULT-VALUE})")
  int walRate;

  @Option(
      names = "--quiet-seconds",
      defaultValue = "90",
      description = "How long the quiet writer (1 commit/s) commits (default: ${DEFAULT-VALUE})")
  int quietSeconds;

  @Option(
      names = "--partial-interval",
      defaultValue = "5s",
      description = "The streamer's pitr.stream.partialInterval (default: ${DEFAULT-VALUE})")
  String partialInterval;

  @Option(
      names = "--archive-timeout",
      defaultValue = "60s",
      description = "The baseline's archive_timeout (default: ${DEFAULT-VALUE})")
  String archiveTimeout;

  @Option(
      names = "--runs",
      defaultValue = "1",
      description =
          "Times each writer runs in turn; the commits of all runs are pooled (default:"
              + " ${DEFAULT-VALUE})")
  int runs;

  @Option(
      names = "--crash",
      description =
          "Measure a crash instead: SIGKILL of the server at a random moment of the steady"
              + " writer, restore-pitr to the end of the streamed archive, and the archive_command"
              + " copy recovered beside it; commits lost = last acknowledged - last recovered")
  boolean crash;

  @Mixin BenchDir benchDir;

  @Override
  public Integer call() throws Exception {
    if (crash) {
      String pgfleet = Launcher.serverCommand();
      return BenchRun.in(
          benchDir.dir,
          d ->
              RpoCrashBench.run(
                  new RpoCrashBench.Options(
                      seconds,
                      walRate,
                      seconds(partialInterval),
                      seconds(archiveTimeout),
                      runs,
                      d,
                      pgfleet),
                  System.err));
    }
    return BenchRun.in(
        benchDir.dir,
        d ->
            RpoBench.run(
                new RpoBench.Options(
                    seconds,
                    walRate,
                    quietSeconds,
                    seconds(partialInterval),
                    seconds(archiveTimeout),
                    runs,
                    d),
                System.err));
  }

  private static Duration seconds(String text) {
    return Duration.parse("PT" + text.toUpperCase(java.util.Locale.ROOT));
  }
}
