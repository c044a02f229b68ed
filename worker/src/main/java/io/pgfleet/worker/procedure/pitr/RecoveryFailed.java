package io.pgfleet.worker.procedure.pitr;

/** Why recovery did not reach its target: the server's FATAL lines. */
final class RecoveryFailed extends Exception {
  RecoveryFailed(String message) {
    super(message);
  }
}
