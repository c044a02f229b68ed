package io.pgfleet.dev.bench;

import io.pgfleet.bench.DataSize;
import picocli.CommandLine.Option;

/** {@code --size}: how large the scenario's database grows. */
final class DatabaseSize {
  @Option(
      names = "--size",
      defaultValue = "1GB",
      description = "Database size (default: ${DEFAULT-VALUE})")
  String size;

  long bytes() {
    return DataSize.parse(size);
  }
}
