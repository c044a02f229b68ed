package io.pgfleet.worker.config;

import java.time.Duration;

/** The {@code runs:} section as written; what is left out keeps {@link RunSettings#defaults()}. */
record RunsFile(
    Duration leaseTtl,
    Integer maxConcurrent,
    Duration progressInterval,
    Duration shutdownGrace,
    Integer tries,
    Duration retryBackoff,
    Duration maxCommandAge) {
  static final RunsFile NONE = new RunsFile(null, null, null, null, null, null, null);

  RunSettings settings() {
    RunSettings d = RunSettings.defaults();
    return new RunSettings(
        leaseTtl == null ? d.leaseTtl() : leaseTtl,
        maxConcurrent == null ? d.maxConcurrentRuns() : maxConcurrent,
        progressInterval == null ? d.progressInterval() : progressInterval,
        shutdownGrace == null ? d.shutdownGrace() : shutdownGrace,
        tries == null ? d.tries() : tries,
        retryBackoff == null ? d.retryBackoff() : retryBackoff,
        maxCommandAge == null ? d.maxCommandAge() : maxCommandAge);
  }
}
