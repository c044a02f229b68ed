package io.pgfleet.worker.wal;

/** The archive could not store or return a file; the message says what to check. */
public class WalArchiveException extends RuntimeException {
  public WalArchiveException(String message) {
    super(message);
  }

  public WalArchiveException(String message, Throwable cause) {
    super(message, cause);
  }
}
