package io.pgfleet.cli;

import io.pgfleet.worker.procedure.basebackup.RecoverableWindows;
import io.pgfleet.worker.wal.RecoverableWindow;
import io.pgfleet.worker.wal.WalArchive;
import io.pgfleet.worker.wal.WalCheck;
import io.pgfleet.worker.wal.WalTimeline;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code pgfleet wal-check --config F --target T}: the archive's segments per timeline, every
 * segment missing between the first and the last, and the recoverable window (oldest base backup's
 * start to the newest segment reachable from it, with its age). Exit 0: no gap; 1: a gap, recovery
 * cannot pass it.
 */
@Command(
    name = "wal-check",
    mixinStandardHelpOptions = true,
    description = {
      "Reports a target's archived WAL per timeline, any missing segment, and the recoverable"
          + " window.",
      "Exit 0: continuous. 1: gaps (recovery past a gap is impossible: take a new base backup)."
    })
final class WalCheckCommand implements Callable<Integer> {
  @Mixin WalOptions wal;

  record Found(WalCheck check, Optional<RecoverableWindow> window) {}

  @Override
  public Integer call() {
    Found found =
        wal.withStore(
            store ->
                new Found(
                    WalCheck.of(new WalArchive(store, wal.target).list()),
                    RecoverableWindows.of(store, wal.target)));
    WalCheck check = found.check();
    if (check.timelines().isEmpty()) {
      System.out.println(wal.target + ": no archived WAL");
      return 1;
    }
    for (WalTimeline t : check.timelines()) {
      System.out.printf(
          "%s timeline %s: %s .. %s, %d missing%n",
          wal.target, t.timeline(), t.first(), t.last(), t.missingCount());
      t.missing().forEach(m -> System.out.println("  missing " + m));
    }
    System.out.println(window(found.window()));
    return check.hasGaps() ? 1 : 0;
  }

  private String window(Optional<RecoverableWindow> found) {
    if (found.isEmpty()) {
      return wal.target
          + " recoverable window: none (no base backup in the store: run base-backup)";
    }
    RecoverableWindow w = found.get();
    String from = w.startTime() + " (" + w.startLsn() + ", start of the oldest base backup)";
    if (w.endSegment() == null) {
      return wal.target + " recoverable window: none, " + w.gap() + " is missing at " + from;
    }
    Duration age = w.age(Instant.now()).orElseThrow();
    return wal.target
        + " recoverable window: "
        + from
        + " .. "
        + w.endSegment()
        + " archived "
        + w.endArchivedAt()
        + " ("
        + Math.max(0, age.toSeconds())
        + " s ago)"
        + (w.gap() == null ? "" : ", ends before missing " + w.gap());
  }
}
