package io.pgfleet.worker.archive;

import java.util.HashMap;
import java.util.Map;

/**
 * The session settings that make COPY text the same on any server, beyond those pg_dump sets itself
 * (DateStyle, IntervalStyle, extra_float_digits, client_encoding, search_path): the time zone that
 * timestamptz values print in, and bytea's output format. The backup's pg_dump and the drill's run
 * with them, so a restored table's data hashes as it did when it was dumped.
 */
public final class DumpSession {
  private DumpSession() {}

  /** {@code libpq} plus these settings. */
  public static Map<String, String> environment(Map<String, String> libpq) {
    Map<String, String> env = new HashMap<>(libpq);
    env.put("PGTZ", "UTC");
    env.put("PGOPTIONS", "-c bytea_output=hex");
    return env;
  }
}
