package io.pgfleet.cli.submit;

import picocli.CommandLine.Option;

/** The options of an operation that changes or deletes: see it first, or confirm it. */
public final class DryRunOrConfirm {
  @Option(names = "--dry-run", description = "Only say what would be done; change nothing")
  boolean dryRun;

  @Option(names = "--confirm", description = "The target's name again (required unless --dry-run)")
  String confirm;
}
