package io.pgfleet.dev.bench;

import picocli.CommandLine.Option;

/** {@code --runs}: how often each side runs. */
final class RunsPerSide {
  @Option(
      names = "--runs",
      defaultValue = "3",
      description = "Runs of each side (default: ${DEFAULT-VALUE})")
  int count;
}
