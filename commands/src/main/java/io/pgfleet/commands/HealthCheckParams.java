package io.pgfleet.commands;

import java.util.List;

/**
 * Parameters of a health check.
 *
 * @param checks names of the checks to run (e.g. {@code connections}); empty means all of them
 */
public record HealthCheckParams(List<String> checks) implements OperationParams {
  public HealthCheckParams {
    checks = checks == null ? List.of() : List.copyOf(checks);
  }

  public static HealthCheckParams defaults() {
    return new HealthCheckParams(null);
  }
}
