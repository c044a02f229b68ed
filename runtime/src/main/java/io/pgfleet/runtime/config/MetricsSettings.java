package io.pgfleet.runtime.config;

/**
 * The worker's operations endpoint: Prometheus metrics on {@code /metrics}, Kubernetes probes on
 * {@code /health/live} and {@code /health/ready}.
 *
 * @param port the TCP port to listen on; 0 picks a free one (tests), negative disables the endpoint
 */
public record MetricsSettings(int port) {
  public static final int DEFAULT_PORT = 9400;
  public static final MetricsSettings DISABLED = new MetricsSettings(-1);

  public MetricsSettings {
    if (port > 65535) {
      throw new IllegalArgumentException("metrics.port: " + port + " is not a TCP port");
    }
  }

  public boolean enabled() {
    return port >= 0;
  }
}
