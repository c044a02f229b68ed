package io.pgfleet.worker.storage;

/** The object store failed or refused a request. */
public final class StorageException extends RuntimeException {
  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }
}
