package io.pgfleet.worker.archive;

import java.util.HashMap;
import java.util.Map;

/**
 * The session settings that make COPY text the same on any server, beyond those pg_dump sets itself
 * (DateStyle, IntervalStyle, extra_float_digits, client_encoding, search_path): the time zone that
 * timestamptz values print in, bytea's output format, and no synchronized scans. A table larger
 * than a quarter of shared_buffers is otherwise read from wherever the last scan of it stood (the
 * index builds of the restore, for one), and its rows come out rotated. With these, a restored
 * table (a fresh heap, loaded in the dump's order) is read in that order, and its data hashes as it
 * did when it was dumped. The backup's pg_dump and the drill's run with them.
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
