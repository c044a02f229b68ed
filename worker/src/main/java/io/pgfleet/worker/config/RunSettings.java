package io.pgfleet.worker.config;

import java.time.Duration;

/**
 * How runs are executed.
 *
 * @param leaseTtl how long a claim lives without a heartbeat; another worker takes the command over
 *     after that
 * @param maxConcurrentRuns runs executing at once in this worker (one per target at most)
 * @param progressInterval the least time between two progress events of one run
 */
public record RunSettings(
    Duration leaseTtl, int maxConcurrentRuns, Duration progressInterval, Duration shutdownGrace) {
  public static RunSettings defaults() {
    return new RunSettings(
        Duration.ofSeconds(30), 2, Duration.ofSeconds(10), Duration.ofMinutes(1));
  }

  public Duration heartbeatInterval() {
    return leaseTtl.dividedBy(3);
  }
}
