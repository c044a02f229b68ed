package io.pgfleet.worker.procedure.health;

import io.pgfleet.commands.result.Finding;
import io.pgfleet.worker.config.HealthLimit;
import io.pgfleet.worker.procedure.maintenance.Items;
import io.pgfleet.worker.procedure.vacuum.DiskSpace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * The runbooks' "ensure 2x database size available": twice the database's size as a share of the
 * free space on the server's data directory (100% and more: less than twice the database is free).
 * PostgreSQL cannot tell free disk space, so this is known only where the data directory is visible
 * to the worker ({@link DiskSpace#visibleDataDirectory}).
 */
final class DiskHeadroom {
  private DiskHeadroom() {}

  static Finding check(Probe probe) throws SQLException {
    Optional<Path> dataDir = DiskSpace.visibleDataDirectory(probe.connection());
    if (dataDir.isEmpty()) {
      return unknown(probe, "the server's data directory is not visible from this worker");
    }
    long free;
    try {
      free = Files.getFileStore(dataDir.get()).getUsableSpace();
    } catch (IOException e) {
      return unknown(probe, "cannot read the free space of " + dataDir.get());
    }
    long database = SizeChecks.databaseBytes(probe);
    double percent = free == 0 ? 1e6 : 200.0 * database / free;
    return probe.measured(
        HealthLimit.DISK_SPACE,
        percent,
        Items.bytes(free)
            + " free at "
            + dataDir.get()
            + ", twice the database is "
            + Items.bytes(2 * database)
            + (percent >= 100
                ? ": a restore, VACUUM FULL or repack beside the original may not fit; free disk"
                    + " space or grow the volume"
                : ""),
        List.of(Items.of("freeBytes", free, "databaseBytes", database)));
  }

  private static Finding unknown(Probe probe, String why) {
    return probe.finding(
        HealthLimit.DISK_SPACE,
        Finding.Status.UNKNOWN,
        null,
        why
            + ", so free space cannot be compared with twice the database (the worker must see the"
            + " data directory, and the target's user needs pg_read_all_settings)",
        List.of());
  }
}
