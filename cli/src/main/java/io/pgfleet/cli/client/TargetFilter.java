package io.pgfleet.cli.client;

import picocli.CommandLine.Option;

/** {@code -t/--target}: a listing narrowed to one target. */
public final class TargetFilter {
  @Option(
      names = {"-t", "--target"},
      description = "Only this target")
  String target;

  /** The target named, or null for every target. */
  public String target() {
    return target;
  }
}
