package io.pgfleet.dev.bench;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --dir}: where a scenario's servers, archives and backups keep their data. */
final class BenchDir {
  @Option(
      names = "--dir",
      description = "Where the servers keep their data (default: a temporary directory)")
  Path dir;
}
