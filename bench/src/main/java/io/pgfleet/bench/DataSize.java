package io.pgfleet.bench;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sizes as benchmark options take them: {@code 500KB}, {@code 100MB}, {@code 2GB} (powers of 2).
 */
public final class DataSize {
  private static final Pattern SIZE =
      Pattern.compile("(\\d+)\\s*(KB|MB|GB)", Pattern.CASE_INSENSITIVE);

  private DataSize() {}

  public static long parse(String text) {
    Matcher m = SIZE.matcher(text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "a size is a number and KB, MB or GB (e.g. 500MB), not '" + text + "'");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2).toUpperCase(Locale.ROOT)) {
      case "KB" -> n << 10;
      case "MB" -> n << 20;
      default -> n << 30;
    };
  }

  /** {@code bytes} in MiB, for reports. */
  public static double mb(long bytes) {
    return bytes / (double) (1L << 20);
  }

  /** A short label: {@code 100 MB}, {@code 1.0 GB}. */
  public static String label(long bytes) {
    return bytes >= 1L << 30
        ? String.format(Locale.ROOT, "%.1f GB", bytes / (double) (1L << 30))
        : String.format(Locale.ROOT, "%.0f MB", mb(bytes));
  }
}
