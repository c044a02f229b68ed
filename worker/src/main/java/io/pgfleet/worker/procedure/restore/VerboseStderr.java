package io.pgfleet.worker.procedure.restore;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Drains pg_restore's {@code --verbose} stderr line by line: progress lines go to a {@link
 * VerboseListener}, the others (errors, warnings) are kept, the last few KiB, for the message of a
 * failed restore.
 */
final class VerboseStderr extends Thread {
  private static final int LIMIT = 16 * 1024;
  private final InputStream in;
  private final VerboseListener progress;
  private final Deque<String> kept = new ArrayDeque<>();
  private int keptChars;

  VerboseStderr(InputStream in, VerboseListener progress) {
    super("pg_restore-verbose");
    this.in = in;
    this.progress = progress;
    setDaemon(true);
  }

  @Override
  public void run() {
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String line; (line = lines.readLine()) != null; ) {
        if (!progress(line)) {
          keep(line);
        }
      }
    } catch (IOException ignored) {
      // the process is gone; what was read is what there is
    }
  }

  /** A listener that fails must not stop the draining, or pg_restore would block on stderr. */
  private boolean progress(String line) {
    try {
      return progress.line(line);
    } catch (RuntimeException e) {
      return progress.isProgress(line);
    }
  }

  private synchronized void keep(String line) {
    kept.addLast(line);
    keptChars += line.length() + 1;
    while (keptChars > LIMIT && kept.size() > 1) {
      keptChars -= kept.removeFirst().length() + 1;
    }
  }

  synchronized String text() {
    return String.join("\n", kept).trim();
  }
}
