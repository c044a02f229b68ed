package io.pgfleet.cli.submit;

import java.time.Instant;
import picocli.CommandLine.Option;

/** At most one recovery target; none recovers to the end of the archive. */
public final class RecoveryTarget {
  @Option(
      names = "--target-time",
      description = "Stop before the first commit after this instant (2026-11-21T14:29:00Z)")
  Instant time;

  @Option(names = "--target-lsn", description = "Stop at this LSN (0/3000060)")
  String lsn;

  @Option(names = "--target-xid", description = "Stop after this transaction id")
  String xid;

  @Option(
      names = "--target-name",
      description = "Stop at this restore point (pg_create_restore_point)")
  String name;
}
