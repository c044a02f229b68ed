package io.pgfleet.worker.archive;

import java.util.HashMap;
import java.util.Map;

/**
 * The session settings that make COPY text the same on any server, beyond those pg_dump sets itself
 * (DateStyle, IntervalStyle, extra_float_digits, client_encoding, search_path): the time zone that
 * timestamptz values print in, bytea's output format, and no synchronized scans (so a large table
 * is read from its first page; the content hash does not depend on row order anyway). The backup's
 * pg_dump and the drill's run with them, so a restored table's rows print as they were dumped.
 */
public final class DumpSession {
  private DumpSession() {}

  /** {@code libpq} plus these settings. */
  public static Map<String, String> environment(Map<String, String> libpq) {
    Map<String, String> env = new HashMap<>(libpq);
    env.put("PGTZ", "UTC");
    env.put("PGOPTIONS", "-c bytea_output=hex -c synchronize_seqscans=off");
    return env;
  }
}
