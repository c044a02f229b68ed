package io.pgfleet.worker.archive;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The session settings that make COPY text the same on any server, beyond those pg_dump sets itself
 * (DateStyle, IntervalStyle, extra_float_digits, client_encoding, search_path): the time zone that
 * timestamptz values print in, bytea's output format, and no synchronized scans (so a large table
 * is read from its first page; the content hash does not depend on row order anyway). The backup's
 * pg_dump and the drill's run with them, so a restored table's rows print as they were dumped; the
 * drill's own COPY sessions make the same {@link #settings()}.
 */
public final class DumpSession {
  private static final Map<String, String> SETTINGS;

  static {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("TimeZone", "UTC");
    settings.put("bytea_output", "hex");
    settings.put("synchronize_seqscans", "off");
    SETTINGS = Collections.unmodifiableMap(settings);
  }

  private DumpSession() {}

  /** The settings by name, in the order they are made. */
  public static Map<String, String> settings() {
    return SETTINGS;
  }

  /**
   * {@code libpq} plus these settings: the time zone as {@code PGTZ}, the others as {@code
   * PGOPTIONS}.
   */
  public static Map<String, String> environment(Map<String, String> libpq) {
    Map<String, String> env = new HashMap<>(libpq);
    List<String> options = new ArrayList<>();
    SETTINGS.forEach(
        (name, value) -> {
          if (name.equals("TimeZone")) {
            env.put("PGTZ", value);
          } else {
            options.add("-c " + name + "=" + value);
          }
        });
    env.put("PGOPTIONS", String.join(" ", options));
    return env;
  }
}
