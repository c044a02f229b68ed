package io.pgfleet.worker.run;

/** How a run task left its command record, which decides what happens to the offset. */
public enum RunEnd {
  /** The command reached a terminal state and its result is on Kafka: commit past it. */
  DONE,
  /**
   * The command was refused without running (its id belongs to another command): report it as
   * rejected, copy it to the DLQ, then commit past it.
   */
  REJECTED,
  /** This worker lost the lease: read the record again, to wait for whoever holds it. */
  REDELIVER,
  /** The worker is stopping: leave the offset, another worker will pick the command up. */
  ABANDONED
}
