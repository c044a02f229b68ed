package io.pgfleet.worker.ledger;

/** The ledger database could not be reached or refused a statement. */
public final class LedgerException extends RuntimeException {
  public LedgerException(String message, Throwable cause) {
    super(message, cause);
  }
}
