package io.pgfleet.worker.result;

/** Kafka did not take a result event; the run's offset must not be committed. */
public final class ResultNotPublishedException extends RuntimeException {
  public ResultNotPublishedException(String message, Throwable cause) {
    super(message, cause);
  }
}
