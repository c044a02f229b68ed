package io.pgfleet.worker.storage;

import java.net.SocketTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;

/** What an operator reads when a call to the object store failed. */
public final class StorageErrors {
  static final String TIMED_OUT =
      "the object store did not answer in time (storage.timeouts): it hangs or crawls; the"
          + " request was given up and can be retried";

  private StorageErrors() {}

  /** The failure's message, saying so plainly when a storage timeout ended it. */
  public static String describe(Throwable e) {
    String message = String.valueOf(e.getMessage());
    return timedOut(e) ? TIMED_OUT + " (" + message + ")" : message;
  }

  static boolean timedOut(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ApiCallTimeoutException
          || t instanceof ApiCallAttemptTimeoutException
          || t instanceof SocketTimeoutException
          || t.getClass().getSimpleName().contains("ConnectTimeout")) {
        return true;
      }
    }
    return false;
  }
}
