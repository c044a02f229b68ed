package io.pgfleet.worker.procedure.restore;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The connections a {@link SplitTableRead} has opened, one a part: cancelled together when the
 * drill is cancelled mid-read (from another thread), closed together when the read is over.
 */
final class PartConnections implements AutoCloseable {
  private final List<Connection> open = new ArrayList<>();

  /** Keeps {@code c} to cancel and close with the others; returns it. */
  Connection add(Connection c) {
    synchronized (open) {
      open.add(c);
    }
    return c;
  }

  /** Cancels what each connection is running (a drill cancelled mid-read). */
  void cancelAll() {
    synchronized (open) {
      for (Connection c : open) {
        try {
          c.unwrap(org.postgresql.PGConnection.class).cancelQuery();
        } catch (SQLException ignored) {
          // closed already, or gone
        }
      }
    }
  }

  @Override
  public void close() {
    synchronized (open) {
      for (Connection c : open) {
        try {
          c.close();
        } catch (SQLException ignored) {
          // the read is over either way
        }
      }
    }
  }
}
