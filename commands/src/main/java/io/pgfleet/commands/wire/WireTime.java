package io.pgfleet.commands.wire;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * A command's times, read as {@link Instant#parse} reads them. The shape encoders write ({@code
 * 2026-12-06T10:19:52.910Z}) takes a short path: the JDK's formatter costs more than the rest of a
 * command's decoding until it is compiled. Any other text, or a field out of range, goes to {@code
 * Instant.parse}, so the instant and the exception are always its.
 */
final class WireTime {
  private static final int SHORTEST = "2026-12-06T10:19:52Z".length();
  private static final int LONGEST = "2026-12-06T10:19:52.123456789Z".length();

  private WireTime() {}

  static Instant parse(String text) {
    Instant quick = quick(text);
    return quick != null ? quick : Instant.parse(text);
  }

  /** The instant when the text is {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z} and valid; else null. */
  static Instant quick(String s) {
    int n = s.length();
    if (n < SHORTEST || n > LONGEST || n == SHORTEST + 1 || !separators(s)) {
      return null;
    }
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 7);
    int day = digits(s, 8, 10);
    int hour = digits(s, 11, 13);
    int minute = digits(s, 14, 16);
    int second = digits(s, 17, 19);
    int fraction = n > SHORTEST ? digits(s, 20, n - 1) : 0;
    if ((year | month | day | hour | minute | second | fraction) < 0 || hour > 23 || second > 59) {
      return null; // a leap second or 24:00 is Instant.parse's to read
    }
    int nanos = fraction;
    for (int i = n > SHORTEST ? n - 1 - 20 : 9; i < 9; i++) {
      nanos *= 10;
    }
    try {
      return LocalDateTime.of(year, month, day, hour, minute, second, nanos)
          .toInstant(ZoneOffset.UTC);
    } catch (DateTimeException e) {
      return null;
    }
  }

  private static boolean separators(String s) {
    int n = s.length();
    return s.charAt(4) == '-'
        && s.charAt(7) == '-'
        && s.charAt(10) == 'T'
        && s.charAt(13) == ':'
        && s.charAt(16) == ':'
        && s.charAt(n - 1) == 'Z'
        && (n == SHORTEST || s.charAt(19) == '.');
  }

  /** The ASCII digits from {@code from} to {@code to} as a number, or -1. */
  private static int digits(String s, int from, int to) {
    int value = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }
}
