package io.pgfleet.bench.compression;

import io.pgfleet.bench.dump.ThroughWorker;
import io.pgfleet.commands.BackupParams;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A backup compression the worker offers: {@code gzip:6} (by pg_dump), {@code zstd:3} (by the
 * worker) or {@code none}.
 */
public record Codec(String name, Integer level) {
  public static Codec parse(String text) {
    String[] parts = text.strip().toLowerCase(Locale.ROOT).split(":", 2);
    Codec codec = new Codec(parts[0], parts.length == 2 ? Integer.valueOf(parts[1]) : null);
    codec.params(); // validates name and level as a backup command would
    return codec;
  }

  BackupParams params() {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("compression", name);
    if (level != null) {
      fields.put("compressionLevel", level);
    }
    return ThroughWorker.backupParams(fields);
  }

  /** Whether this is what a backup without compression parameters gets. */
  boolean isDefault() {
    BackupParams defaults = BackupParams.defaults();
    BackupParams mine = params();
    return defaults.compression().equals(mine.compression())
        && defaults.compressionLevel().equals(mine.compressionLevel());
  }

  @Override
  public String toString() {
    return level == null ? name : name + " " + level;
  }
}
