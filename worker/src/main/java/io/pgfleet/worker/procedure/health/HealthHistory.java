package io.pgfleet.worker.procedure.health;

import io.pgfleet.commands.result.RunReport;
import java.time.Instant;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * The previous health check of a target, to measure growth since. It is read from the ledger's
 * report of the last successful health-check run (its {@code databaseBytes} statistic and finish
 * time), so no separate history table is needed.
 */
@FunctionalInterface
public interface HealthHistory {
  HealthHistory NONE = target -> Optional.empty();

  Optional<Snapshot> previous(String target);

  /** The size of the database when it was last checked. */
  record Snapshot(Instant at, long databaseBytes) {}

  /** History from run reports: {@code lastSucceeded(target, operation)}, e.g. the ledger's. */
  static HealthHistory fromReports(BiFunction<String, String, Optional<RunReport>> lastSucceeded) {
    return target ->
        lastSucceeded
            .apply(target, io.pgfleet.commands.Operation.HEALTH_CHECK.wireName())
            .filter(r -> r.finishedAt() != null && r.statistics() != null)
            .filter(r -> r.statistics().get(HealthCheckProcedure.DATABASE_BYTES) instanceof Number)
            .map(
                r ->
                    new Snapshot(
                        r.finishedAt(),
                        ((Number) r.statistics().get(HealthCheckProcedure.DATABASE_BYTES))
                            .longValue()));
  }
}
