package io.pgfleet.worker.ledger;

/** The lease expired and another attempt took the command over: this attempt must stop. */
public final class LeaseLostException extends RuntimeException {
  public LeaseLostException(Lease lease) {
    super(
        "lease on command "
            + lease.commandId()
            + " attempt "
            + lease.attempt()
            + " was lost: another worker took the command over");
  }
}
