package io.pgfleet.worker.target;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;

/**
 * The idle connections of one target, kept for its next run so that a cheap command does not pay
 * for a new connection (TCP, SCRAM authentication) every time. A few at most, each closed after a
 * minute unused, so an idle target holds none for long. Not a general pool: the caller resets the
 * session it gets back ({@link SessionReset}).
 */
final class TargetPool implements AutoCloseable {
  static final int MAX_IDLE = 2;
  static final Duration IDLE_TIMEOUT = Duration.ofSeconds(60);

  private record Idle(Connection connection, long sinceNanos) {}

  private final Deque<Idle> idle = new ArrayDeque<>();
  private boolean closed;

  /** The most recently returned connection, or null when none is kept. */
  synchronized Connection poll() {
    trim();
    Idle i = idle.pollFirst();
    return i == null ? null : i.connection();
  }

  /** Keeps a connection for the next run, or closes it when it is not fit to be kept. */
  void offer(Connection c) {
    boolean keep;
    try {
      keep = !c.isClosed() && c.getAutoCommit();
      c.clearWarnings();
    } catch (SQLException e) {
      keep = false;
    }
    synchronized (this) {
      trim();
      if (keep && !closed && idle.size() < MAX_IDLE) {
        idle.addFirst(new Idle(c, System.nanoTime()));
        return;
      }
    }
    closeQuietly(c);
  }

  synchronized int idleCount() {
    return idle.size();
  }

  /** Closes the connections unused for longer than the idle timeout. */
  synchronized void trim() {
    long now = System.nanoTime();
    for (Iterator<Idle> it = idle.descendingIterator(); it.hasNext(); ) {
      Idle i = it.next();
      if (now - i.sinceNanos() < IDLE_TIMEOUT.toNanos()) {
        break;
      }
      it.remove();
      closeQuietly(i.connection());
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    idle.forEach(i -> closeQuietly(i.connection()));
    idle.clear();
  }

  static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException ignored) {
      // the connection is gone either way
    }
  }
}
