package io.pgfleet.worker.tool;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Drains a child process's stderr so it never blocks on it, keeping the last few KiB. */
public final class StderrTail extends Thread {
  private static final int LIMIT = 16 * 1024;
  private final InputStream in;
  private final ByteArrayOutputStream kept = new ByteArrayOutputStream();

  public StderrTail(InputStream in, String name) {
    super(name + "-stderr");
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
