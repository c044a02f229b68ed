package io.pgfleet.dev.bench;

import io.pgfleet.bench.Report;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;

/** A scenario whose pgfleet and baseline sides run {@code --runs} times each, in {@code --dir}. */
abstract class SideBySideScenario implements Callable<Integer> {
  @Mixin RunsPerSide sides;

  @Mixin BenchDir benchDir;

  /** Runs both sides with their servers' data in {@code workDir}. */
  abstract Report run(Path workDir) throws Exception;

  @Override
  public final Integer call() throws Exception {
    return BenchRun.in(benchDir.dir, this::run);
  }
}
