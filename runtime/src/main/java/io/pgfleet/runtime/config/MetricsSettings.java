package io.pgfleet.runtime.config;

import java.time.Duration;

/**
 * The worker's operations endpoint: Prometheus metrics on {@code /metrics}, Kubernetes probes on
 * {@code /health/live} and {@code /health/ready}.
 *
 * @param port the TCP port to listen on; 0 picks a free one (tests), negative disables the endpoint
 * @param workerGroupsEvery how often a worker's readiness lists Kafka's consumer groups for a
 *     second worker group on its topic prefix (the costliest check; probes in between repeat its
 *     answer); default 15 s
 */
public record MetricsSettings(int port, Duration workerGroupsEvery) {
  public static final int DEFAULT_PORT = 9400;
  public static final Duration DEFAULT_WORKER_GROUPS_EVERY = Duration.ofSeconds(15);
  public static final MetricsSettings DISABLED = new MetricsSettings(-1);

  public MetricsSettings {
    if (port > 65535) {
      throw new IllegalArgumentException("metrics.port: " + port + " is not a TCP port");
    }
    workerGroupsEvery = workerGroupsEvery == null ? DEFAULT_WORKER_GROUPS_EVERY : workerGroupsEvery;
    if (workerGroupsEvery.isNegative() || workerGroupsEvery.isZero()) {
      throw new IllegalArgumentException("metrics.workerGroupsEvery: must be positive");
    }
  }

  public MetricsSettings(int port) {
    this(port, null);
  }

  public boolean enabled() {
    return port >= 0;
  }
}
