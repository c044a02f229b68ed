package io.pgfleet.worker.procedure;

/** Where a long run reports how far it is; the worker rate-limits what it publishes. */
@FunctionalInterface
public interface ProgressSink {
  ProgressSink NONE = (done, estimated) -> {};

  /**
   * @param estimatedBytes null when nothing estimates the total
   */
  void report(long bytesDone, Long estimatedBytes);
}
