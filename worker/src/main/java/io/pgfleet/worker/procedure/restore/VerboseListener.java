package io.pgfleet.worker.procedure.restore;

/**
 * Reads pg_restore's {@code --verbose} stderr, one line at a time, for what it says of progress.
 */
interface VerboseListener {
  /** One line of stderr; returns whether it was a progress line (not kept for an error message). */
  boolean line(String line);

  /** Whether a line is progress, without acting on it (for a listener that failed on it). */
  boolean isProgress(String line);
}
