package io.pgfleet.dev.bench;

import io.pgfleet.bench.scale.ScaleBench;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pgfleet bench scale}. */
@Command(
    name = "scale",
    mixinStandardHelpOptions = true,
    description =
        "A fleet of many registered targets, against absolute bounds: an idle worker subscribed"
            + " to every target topic (CPU, memory) and a dispatcher firing a schedule for"
            + " every target (time to the last command acknowledged).")
final class BenchScale implements Callable<Integer> {
  @Option(
      names = "--targets",
      defaultValue = "1000",
      description = "Registered targets (default: ${DEFAULT-VALUE})")
  int targets;

  @Option(
      names = "--idle-seconds",
      defaultValue = "60",
      description = "How long the idle worker's CPU is measured (default: ${DEFAULT-VALUE})")
  int idleSeconds;

  @Option(
      names = "--runs",
      defaultValue = "5",
      description = "Idle windows and schedule firings (default: ${DEFAULT-VALUE})")
  int runs;

  @Option(
      names = "--class-data-archive",
      negatable = true,
      defaultValue = "false",
      fallbackValue = "true",
      description =
          "A first start writes a class-data archive, the measured start maps it: JDK"
              + " class-data sharing, which ./pgfleet does not use (JDK-8343427, bench/RESULTS.md)"
              + " (default: ${DEFAULT-VALUE}: plain starts, as shipped)")
  boolean classArchive;

  @Mixin BenchDir benchDir;

  @Override
  public Integer call() throws Exception {
    return BenchRun.in(
        benchDir.dir,
        workDir ->
            ScaleBench.run(
                new ScaleBench.Options(
                    targets, idleSeconds, runs, workDir, ScaleBench.SETTLE, classArchive),
                System.err));
  }
}
