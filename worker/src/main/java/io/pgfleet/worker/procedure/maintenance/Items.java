package io.pgfleet.worker.procedure.maintenance;

import java.util.LinkedHashMap;
import java.util.Map;

/** Small ordered maps for statistics and finding items; null values are left out. */
public final class Items {
  private Items() {}

  public static Map<String, Object> of(Object... keysAndValues) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      if (keysAndValues[i + 1] != null) {
        out.put((String) keysAndValues[i], keysAndValues[i + 1]);
      }
    }
    return out;
  }

  /** A count with its noun: {@code 1 table}, {@code 3 tables}, {@code no tables}. */
  public static String count(long n, String one, String many) {
    return (n == 0 ? "no" : String.valueOf(n)) + " " + (n == 1 ? one : many);
  }

  /** Bytes as people read them: {@code 12.3 MiB}. */
  public static String bytes(long n) {
    if (Math.abs(n) < 1024) {
      return n + " B";
    }
    int unit = (63 - Long.numberOfLeadingZeros(Math.abs(n))) / 10;
    return String.format(
        java.util.Locale.ROOT,
        "%.1f %siB",
        n / (double) (1L << (unit * 10)),
        " KMGTPE".charAt(unit));
  }

  /** A duration in seconds as people read it: {@code 42s}, {@code 6m 12s}, {@code 3h 5m}. */
  public static String seconds(double seconds) {
    long s = Math.round(seconds);
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return s / 60 + "m" + (s % 60 == 0 ? "" : " " + s % 60 + "s");
    }
    if (s < 86400) {
      return s / 3600 + "h" + (s % 3600 / 60 == 0 ? "" : " " + s % 3600 / 60 + "m");
    }
    return s / 86400 + "d" + (s % 86400 / 3600 == 0 ? "" : " " + s % 86400 / 3600 + "h");
  }
}
