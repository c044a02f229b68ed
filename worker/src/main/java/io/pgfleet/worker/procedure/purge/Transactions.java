package io.pgfleet.worker.procedure.purge;

import io.pgfleet.worker.config.PurgePolicy;
import io.pgfleet.worker.failure.ProcedureFailure;
import io.pgfleet.worker.procedure.Cancellation;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * Runs the purge's short transactions on its connection: times each one into the tally, and when
 * one cannot get a lock within the session's {@code lock_timeout}, rolls it back, backs off and
 * tries again, a few times, before the run fails as retryable. Before it commits, each transaction
 * asks whether another session is waiting for a lock it holds: only then does the policy's pause
 * follow it, so that the waiter goes first.
 */
final class Transactions {
  static final int LOCK_ATTEMPTS = 5;
  private static final String LOCK_NOT_AVAILABLE = "55P03";

  private final Connection c;
  private final PurgeTally tally;
  private final Duration pause;
  private final Cancellation cancellation;
  private final String table;
  private final PurgePolicy.BatchBy batchBy;
  private long lastNanos;
  private boolean waitedFor;
  private final LockWaiters waiters = new LockWaiters();

  Transactions(
      Connection c,
      PurgeTally tally,
      Duration pause,
      Cancellation cancellation,
      String table,
      PurgePolicy.BatchBy batchBy) {
    this.c = c;
    this.tally = tally;
    this.pause = pause;
    this.cancellation = cancellation;
    this.table = table;
    this.batchBy = batchBy;
  }

  /** A unit of work inside one transaction. */
  @FunctionalInterface
  interface Work<T> {
    T run(Connection c) throws SQLException, IOException;
  }

  /** Runs {@code work}, a single statement, as a transaction of its own. */
  <T> T statement(Work<T> work)
      throws SQLException, IOException, ProcedureFailure, InterruptedException {
    return run(false, work);
  }

  /** Runs {@code work} in one REPEATABLE READ transaction: one snapshot for all its statements. */
  <T> T snapshot(Work<T> work)
      throws SQLException, IOException, ProcedureFailure, InterruptedException {
    return run(true, work);
  }

  private <T> T run(boolean snapshot, Work<T> work)
      throws SQLException, IOException, ProcedureFailure, InterruptedException {
    for (int attempt = 1; ; attempt++) {
      long start = System.nanoTime();
      c.setAutoCommit(false);
      try {
        if (snapshot) {
          try (Statement st = c.createStatement()) {
            st.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
          }
        }
        T result = work.run(c);
        waitedFor |= waiters.any(c);
        c.commit();
        lastNanos = System.nanoTime() - start;
        tally.transaction(lastNanos);
        return result;
      } catch (SQLException e) {
        rollbackQuietly();
        if (!LOCK_NOT_AVAILABLE.equals(e.getSQLState()) || cancellation.isCancelled()) {
          throw e;
        }
        tally.lockRetries++;
        if (attempt == LOCK_ATTEMPTS) {
          throw LockTimeout.of(table, batchBy, LOCK_ATTEMPTS, e);
        }
        Thread.sleep(Math.max(100, pause.toMillis()) << (attempt - 1));
        cancellation.check();
      } catch (IOException | RuntimeException e) {
        rollbackQuietly();
        throw e;
      } finally {
        if (!c.isClosed()) { // an aborted run's connection is closed; its error is the news
          c.setAutoCommit(true);
        }
      }
    }
  }

  /** Transactions like these on another connection, timed into {@code tally}. */
  Transactions on(Connection other, PurgeTally tally) {
    return new Transactions(other, tally, pause, cancellation, table, batchBy);
  }

  LockWaiters waiters() {
    return waiters;
  }

  Connection connection() {
    return c;
  }

  /**
   * Rests between two transactions if another session waited for a lock one held since the last
   * pause, so that it goes first; after transactions no one waited for, the next follows at once. A
   * wait is paused for once, however many callers ask for a pause after it.
   */
  void pause() throws InterruptedException {
    cancellation.check();
    if (waitedFor) {
      waitedFor = false;
      tally.pauses++; // counted even with a zero pause: the statistic is batches waited for
      if (!pause.isZero()) {
        Thread.sleep(pause.toMillis());
      }
    }
    cancellation.check();
  }

  /** How long the last committed transaction took, from its first statement to its commit. */
  long lastNanos() {
    return lastNanos;
  }

  private void rollbackQuietly() {
    try {
      if (!c.getAutoCommit()) {
        c.rollback();
      }
    } catch (SQLException ignored) {
      // the connection is gone; the server rolled the transaction back
    }
  }
}
