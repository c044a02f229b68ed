package io.pgfleet.worker.procedure.backup;

import io.pgfleet.commands.BackupParams;
import io.pgfleet.worker.storage.Manifest;
import io.pgfleet.worker.storage.StoredObject;
import io.pgfleet.worker.target.PgTools;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The statistics a backup's result reports. */
final class BackupStatistics {
  private BackupStatistics() {}

  static Map<String, Object> of(
      Manifest.Server server,
      PgTools.Tool pgDump,
      long databaseBytes,
      StoredObject dump,
      List<Manifest.TableCount> tables,
      BackupParams params) {
    Map<String, Object> stats = new LinkedHashMap<>();
    stats.put("tables", tables.size());
    stats.put("rows", tables.stream().mapToLong(Manifest.TableCount::rows).sum());
    stats.put("databaseBytes", databaseBytes);
    stats.put("dumpBytes", dump.bytes());
    stats.put("compression", params.effectiveCompression());
    stats.put("compressionLevel", params.compressionLevel());
    stats.put("encrypted", params.encrypt());
    if (params.directory()) {
      stats.put("format", params.format());
      stats.put("jobs", params.jobs());
    }
    stats.put("serverVersion", server.version());
    stats.put("pgDumpVersion", pgDump.version());
    return stats;
  }
}
