package io.pgfleet.worker.wal;

import java.util.regex.Pattern;

/**
 * The name of a file PostgreSQL archives: a WAL segment ({@code 000000010000000000000003}), a
 * partial segment ({@code ...partial}), a timeline history file ({@code 00000002.history}) or a
 * backup label ({@code 000000010000000000000003.00000028.backup}). Anything else is refused, so a
 * name never becomes a path trick in a key or on disk.
 */
public record WalFileName(String value) {
  private static final Pattern NAME =
      Pattern.compile("[0-9A-F]{8}([0-9A-F]{16}(\\.partial|\\.[0-9A-F]{8}\\.backup)?|\\.history)");

  public WalFileName {
    if (value == null || !NAME.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "'"
              + value
              + "' is not a WAL file name (a segment such as 000000010000000000000003, a"
              + " NNNNNNNN.history file or a .backup label); pass %f / the base name of %p");
    }
  }

  /** Whether {@code value} is a name this record accepts. */
  public static boolean isValid(String value) {
    return value != null && NAME.matcher(value).matches();
  }

  /** The timeline, as the 8 hex digits that start every archived file's name. */
  public String timeline() {
    return value.substring(0, 8);
  }

  /** Whether this is a complete WAL segment (not history, backup label or partial). */
  public boolean isSegment() {
    return value.length() == 24;
  }

  @Override
  public String toString() {
    return value;
  }
}
