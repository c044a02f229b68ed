package io.pgfleet.worker.procedure.purge;

import io.pgfleet.worker.failure.ProcedureFailure;
import io.pgfleet.worker.sql.TableRef;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One more connection purging slices on a thread of its own, with a tally of its own. One that
 * cannot connect is left out: the pass goes on with fewer sessions.
 */
final class PurgeSession {
  private static final Logger log = LoggerFactory.getLogger(PurgeSession.class);

  /** The slices a session purges on its connection, into its own tally. */
  @FunctionalInterface
  interface Slices {
    void purge(Connection c, PurgeTally own)
        throws SQLException, IOException, ProcedureFailure, InterruptedException;
  }

  private final PurgeTally own = new PurgeTally();
  private final Thread thread;
  private volatile boolean connected;
  private volatile Throwable failure;

  PurgeSession(PageSlices.Connector more, Slices slices, PageClaims claims, TableRef table, int n) {
    thread = new Thread(() -> work(more, slices, claims, table, n), "purge-session-" + n);
    thread.start();
  }

  private void work(
      PageSlices.Connector more, Slices slices, PageClaims claims, TableRef table, int number) {
    try {
      Connection c = connect(more, table, number);
      if (c == null) {
        return;
      }
      connected = true;
      try (c) {
        slices.purge(c, own);
      }
    } catch (Throwable e) {
      failure = e;
      claims.stop();
    }
  }

  private static Connection connect(PageSlices.Connector more, TableRef table, int number) {
    try {
      return more.open();
    } catch (SQLException | ProcedureFailure e) {
      log.warn(
          "purge of {}: session {} could not connect, the pass goes on without it: {}",
          table,
          number,
          e.getMessage());
      return null;
    }
  }

  /** What ended the session, if it failed. */
  Throwable failure() {
    return failure;
  }

  /**
   * Waits for the session to end, even through an interrupt, and adds what it did to {@code into};
   * true if this thread was interrupted meanwhile.
   */
  boolean join(PurgeTally into) {
    boolean interrupted = false;
    while (true) {
      try {
        thread.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    into.add(own);
    if (!connected) {
      into.sessions--;
    }
    return interrupted;
  }
}
