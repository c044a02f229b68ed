package io.pgfleet.worker.procedure.purge;

import io.pgfleet.worker.failure.ProcedureFailure;
import java.io.IOException;
import java.sql.SQLException;

/**
 * What ended a pass of several sessions, caught as a Throwable on whichever thread it happened,
 * thrown again as what it was.
 */
final class SessionFailure {
  private SessionFailure() {}

  /** Throws {@code failure} as its own type; nothing when null. */
  static void rethrow(Throwable failure)
      throws SQLException, IOException, ProcedureFailure, InterruptedException {
    if (failure == null) {
      return;
    } else if (failure instanceof SQLException e) {
      throw e;
    } else if (failure instanceof IOException e) {
      throw e;
    } else if (failure instanceof ProcedureFailure e) {
      throw e;
    } else if (failure instanceof InterruptedException e) {
      throw e;
    } else if (failure instanceof RuntimeException e) {
      throw e;
    } else if (failure instanceof Error e) {
      throw e;
    }
    throw new IllegalStateException(failure);
  }
}
