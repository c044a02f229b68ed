package io.pgfleet.commands;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people write them in config files and on command lines: 30s, 5m, 2h, 7d. */
public final class Durations {
  private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

  private Durations() {}

  /**
   * Parses {@code 30s}, {@code 5m}, {@code 2h}, {@code 7d}, {@code 250ms} or ISO-8601 {@code PT1H}.
   */
  public static Duration parse(String text) {
    Matcher m = SHORT.matcher(text.trim());
    try {
      if (m.matches()) {
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
          case "ms" -> Duration.ofMillis(n);
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          default -> Duration.ofDays(n);
        };
      }
      return Duration.parse(text.trim());
    } catch (RuntimeException e) { // a malformed text, or a number beyond what a Duration holds
      throw new IllegalArgumentException(
          "expected a duration like 30s, 5m, 2h or 7d, not " + Printable.quote(text));
    }
  }
}
