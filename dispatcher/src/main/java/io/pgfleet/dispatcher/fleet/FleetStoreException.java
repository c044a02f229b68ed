package io.pgfleet.dispatcher.fleet;

/** The ledger database could not be read or written; the cause says why. */
public final class FleetStoreException extends RuntimeException {
  public FleetStoreException(String message, Throwable cause) {
    super(message + ": " + cause.getMessage(), cause);
  }
}
