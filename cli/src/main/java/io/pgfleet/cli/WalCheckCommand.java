package io.pgfleet.cli;

import io.pgfleet.worker.wal.WalCheck;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code pgfleet wal-check --config F --target T}: the archive's segments per timeline and every
 * segment missing between the first and the last. Exit 0: no gap; 1: a gap, recovery cannot pass
 * it.
 */
@Command(
    name = "wal-check",
    mixinStandardHelpOptions = true,
    description = {
      "Reports a target's archived WAL per timeline and any missing segment.",
      "Exit 0: continuous. 1: gaps (recovery past a gap is impossible: take a new base backup)."
    })
final class WalCheckCommand implements Callable<Integer> {
  @Mixin WalOptions wal;

  @Override
  public Integer call() {
    WalCheck check = wal.withArchive(archive -> WalCheck.of(archive.list()));
    if (check.timelines().isEmpty()) {
      System.out.println(wal.target + ": no archived WAL");
      return 1;
    }
    for (WalCheck.Timeline t : check.timelines()) {
      System.out.printf(
          "%s timeline %s: %s .. %s, %d missing%n",
          wal.target, t.timeline(), t.first(), t.last(), t.missingCount());
      t.missing().forEach(m -> System.out.println("  missing " + m));
    }
    return check.hasGaps() ? 1 : 0;
  }
}
