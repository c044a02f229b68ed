package io.pgfleet.worker.tool;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Drains one output stream of a child process, so it never blocks on it, keeping the last 16 KiB.
 */
public final class StreamTail extends Thread {
  private static final int LIMIT = 16 * 1024;
  private final InputStream in;
  private final ByteArrayOutputStream kept = new ByteArrayOutputStream();

  /**
   * @param name the draining thread's name
   */
  public StreamTail(InputStream in, String name) {
    super(name);
    this.in = in;
    setDaemon(true);
  }

  @Override
  public void run() {
    byte[] buffer = new byte[4096];
    try (in) {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        synchronized (kept) {
          if (kept.size() + n > LIMIT) {
            byte[] all = kept.toByteArray();
            kept.reset();
            int keep = Math.min(Math.max(0, LIMIT / 2 - n), all.length);
            kept.write(all, all.length - keep, keep);
          }
          kept.write(buffer, 0, n);
        }
      }
    } catch (IOException ignored) {
      // the process is gone; what was read is what there is
    }
  }

  public String text() {
    synchronized (kept) {
      return kept.toString(StandardCharsets.UTF_8).trim();
    }
  }
}
