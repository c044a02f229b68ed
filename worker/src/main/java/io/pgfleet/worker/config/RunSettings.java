package io.pgfleet.worker.config;

import java.time.Duration;

/**
 * How runs are executed.
 *
 * @param leaseTtl how long a claim lives without a heartbeat; another worker takes the command over
 *     after that
 * @param maxConcurrentRuns runs executing at once in this worker (the bulkhead; one per target at
 *     most)
 * @param progressInterval the least time between two progress events of one run
 * @param tries how often a run that failed transiently (target unreachable, storage error) is tried
 *     in all before it fails with {@code retryable: true}
 * @param retryBackoff the wait before the second try; it doubles, with jitter, for each next one
 * @param maxCommandAge a command without {@code expiresat} whose {@code time} is older than this
 *     expires instead of running, so a new consumer group or ledger does not replay history
 */
public record RunSettings(
    Duration leaseTtl,
    int maxConcurrentRuns,
    Duration progressInterval,
    Duration shutdownGrace,
    int tries,
    Duration retryBackoff,
    Duration maxCommandAge) {
  public static final Duration DEFAULT_MAX_COMMAND_AGE = Duration.ofHours(24);

  /** Light runs (ANALYZE, health checks, dry runs...) at once, unless maxConcurrentRuns is more. */
  public static final int LIGHT_RUNS = 8;

  public RunSettings {
    maxCommandAge = maxCommandAge == null ? DEFAULT_MAX_COMMAND_AGE : maxCommandAge;
    if (maxCommandAge.isZero() || maxCommandAge.isNegative()) {
      throw new IllegalArgumentException("runs.maxCommandAge must be positive");
    }
  }

  public RunSettings(
      Duration leaseTtl,
      int maxConcurrentRuns,
      Duration progressInterval,
      Duration shutdownGrace,
      int tries,
      Duration retryBackoff) {
    this(
        leaseTtl,
        maxConcurrentRuns,
        progressInterval,
        shutdownGrace,
        tries,
        retryBackoff,
        DEFAULT_MAX_COMMAND_AGE);
  }

  /**
   * Light runs executing at once, beside the heavy ones: they hold no target lock and no ledger
   * connection while they work, and mostly wait on the target, so more of them than of the heavy
   * ones fit on the same cores.
   */
  public int maxConcurrentLightRuns() {
    return Math.max(maxConcurrentRuns, LIGHT_RUNS);
  }

  public static RunSettings defaults() {
    return new RunSettings(
        Duration.ofSeconds(30),
        2,
        Duration.ofSeconds(10),
        Duration.ofMinutes(1),
        4,
        Duration.ofSeconds(2));
  }
}
