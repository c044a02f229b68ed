package io.pgfleet.worker.procedure.restore;

import java.util.regex.Pattern;

/**
 * Reads pg_restore's {@code --verbose} stderr, one line at a time, for what it says of progress.
 */
interface VerboseListener {
  /**
   * pg_restore's progress lines, serial or with {@code --jobs} (only a parallel restore launches,
   * finishes, skips or enters items).
   */
  Pattern PROGRESS =
      Pattern.compile(
          "^pg_restore: (launching|finished|skipping|entering|connecting|creating|processing"
              + "|executing|restoring|setting|disabling|enabling) .*");

  /** One line of stderr; returns whether it was a progress line (not kept for an error message). */
  boolean line(String line);

  /** Whether a line is progress, without acting on it (for a listener that failed on it). */
  default boolean isProgress(String line) {
    return PROGRESS.matcher(line).matches();
  }
}
