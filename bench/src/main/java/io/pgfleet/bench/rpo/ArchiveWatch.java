package io.pgfleet.bench.rpo;

import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Looks at an archive every {@code POLL_MS} from its own thread and notes when each segment first
 * appeared in it (System.nanoTime()); a subclass may also note partial segments. Answers when the
 * WAL up to a position was first in the archive.
 */
abstract class ArchiveWatch implements AutoCloseable {
  static final long SEGMENT = 16L * 1024 * 1024;
  private static final long POLL_MS = 100;

  private final Map<Long, Long> segmentSeen = new ConcurrentHashMap<>();
  private final Thread thread;
  private volatile boolean running = true;
  private volatile Exception failure;

  ArchiveWatch(String name) {
    thread = new Thread(this::loop, "rpo-watch-" + name);
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** One look at the archive: calls {@link #segmentSeen} for each complete segment. */
  abstract void poll(long now) throws Exception;

  void segmentSeen(String name, long now) {
    segmentSeen.putIfAbsent(segmentNumber(name), now);
  }

  /** When the WAL before {@code lsn} was first all in the archive; empty if it is not yet. */
  OptionalLong archivedAt(long lsn) {
    Long seen = segmentSeen.get((lsn - 1) / SEGMENT);
    return seen == null ? OptionalLong.empty() : OptionalLong.of(seen);
  }

  static long segmentNumber(String name) {
    return Long.parseLong(name.substring(8, 16), 16) * 0x100
        + Long.parseLong(name.substring(16, 24), 16);
  }

  private void loop() {
    while (running) {
      try {
        poll(System.nanoTime());
        Thread.sleep(POLL_MS);
      } catch (InterruptedException e) {
        return;
      } catch (Exception e) {
        if (running) { // after close() an aborted request is close()'s own interrupt
          failure = e;
        }
        return;
      }
    }
  }

  @Override
  public void close() throws Exception {
    running = false;
    thread.interrupt();
    thread.join(10_000);
    if (failure != null) {
      throw failure;
    }
  }
}
