package io.pgfleet.runtime.config;

/** The control database that holds the {@code pgfleet} schema. */
public record LedgerSettings(String jdbcUrl, String user, Secret password, int poolSize) {

  /**
   * The smallest pool a worker running {@code maxConcurrentRuns} at once can live with: one
   * connection per run for its target lock, and two for claims, leases and results. A smaller pool
   * makes runs wait for connections until their leases expire.
   */
  public static int poolSizeFor(int maxConcurrentRuns) {
    return maxConcurrentRuns + 2;
  }
}
