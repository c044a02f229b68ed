package io.pgfleet.worker.config;

import io.pgfleet.commands.Operation;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a target permits beyond its list of operations, and how its maintenance sessions are
 * limited. Everything that locks tables against reads or ends other people's sessions is off until
 * the target's config switches it on.
 *
 * @param allowVacuumFull VACUUM FULL (ACCESS EXCLUSIVE lock while each table is rewritten)
 * @param allowBlockingReindex REINDEX without CONCURRENTLY (blocks writes during the rebuild)
 * @param allowTerminateBackends terminate-backends beyond a dry run (commands must also confirm)
 * @param allowRepack repack beyond a dry run (brief ACCESS EXCLUSIVE locks; commands must confirm)
 * @param timeouts per operation, overriding the operation's defaults
 * @param health thresholds of the health checks, overriding {@link HealthLimit} defaults
 */
public record MaintenanceSettings(
    boolean allowVacuumFull,
    boolean allowBlockingReindex,
    boolean allowTerminateBackends,
    boolean allowRepack,
    Map<Operation, Timeouts> timeouts,
    Map<HealthLimit, HealthLimit.Level> health) {

  public static final MaintenanceSettings DEFAULTS =
      new MaintenanceSettings(false, false, false, false, Map.of(), Map.of());

  /** Settings that do not allow repack. */
  public MaintenanceSettings(
      boolean allowVacuumFull,
      boolean allowBlockingReindex,
      boolean allowTerminateBackends,
      Map<Operation, Timeouts> timeouts,
      Map<HealthLimit, HealthLimit.Level> health) {
    this(allowVacuumFull, allowBlockingReindex, allowTerminateBackends, false, timeouts, health);
  }

  public MaintenanceSettings {
    timeouts = timeouts.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(timeouts));
    health = health.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(health));
  }

  public Optional<Timeouts> timeouts(Operation operation) {
    return Optional.ofNullable(timeouts.get(operation));
  }

  /** The configured thresholds of a check, or its defaults. */
  public HealthLimit.Level limit(HealthLimit limit) {
    return health.getOrDefault(limit, limit.defaults());
  }
}
