package io.pgfleet.worker.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.pgfleet.commands.result.Finding;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The last health check of each target as gauges, so alert rules can use its values: one gauge per
 * measured check, a few numbers from the run's statistics, and each check's status. A value the
 * check could not measure is NaN, which no alert threshold matches.
 */
final class HealthGauges {
  /** Transaction IDs between a frozen row and the wraparound PostgreSQL stops writes before. */
  static final double WRAPAROUND_LIMIT = Math.pow(2, 31);

  /**
   * A gauge fed from a finding's value or a statistic of the run.
   *
   * @param source a check's name, or a statistic's key
   * @param scale what the value is multiplied by (percent to ratio: 0.01)
   */
  private record Source(String source, String name, String unit, double scale, String help) {}

  private static final List<Source> FROM_FINDINGS =
      List.of(
          new Source(
              "connections",
              "pgfleet.health.connections.used",
              "ratio",
              0.01,
              "Client connections in use on the target's server, as a share of max_connections"),
          new Source(
              "wraparound",
              "pgfleet.health.wraparound.freeze.max.age",
              "ratio",
              0.01,
              "Transaction-ID age of the database as a share of autovacuum_freeze_max_age"
                  + " (from 1, autovacuum forces anti-wraparound vacuums)"),
          new Source(
              "dead-tuples",
              "pgfleet.health.dead.tuples.max",
              "ratio",
              0.01,
              "Highest share of dead row versions in a table holding at least 1000 of them"),
          new Source(
              "long-running-queries",
              "pgfleet.health.longest.query",
              "seconds",
              1,
              "How long the longest active query has been running"),
          new Source(
              "idle-in-transaction",
              "pgfleet.health.longest.idle.transaction",
              "seconds",
              1,
              "How long the longest session idle in a transaction has been idle"),
          new Source(
              "blocking-locks",
              "pgfleet.health.longest.lock.wait",
              "seconds",
              1,
              "How long the longest lock wait behind another session has lasted"),
          new Source(
              "table-size",
              "pgfleet.health.largest.table",
              "bytes",
              1,
              "Total size of the largest table with its indexes and TOAST"),
          new Source(
              "sequence-exhaustion",
              "pgfleet.health.sequence.used.max",
              "ratio",
              0.01,
              "Share of its range the most used sequence has consumed"),
          new Source(
              "replication-lag",
              "pgfleet.health.replication.lag",
              "seconds",
              1,
              "Replay lag of the slowest standby"),
          new Source("wal-size", "pgfleet.health.wal", "bytes", 1, "Size of the server's pg_wal"),
          new Source(
              "archiver",
              "pgfleet.health.archive.ready",
              null,
              1,
              "WAL segments waiting for archive_command"),
          new Source(
              "slot-retained-wal",
              "pgfleet.health.slot.retained.wal.max",
              "bytes",
              1,
              "WAL held back by the replication slot furthest behind"));

  private static final List<Source> FROM_STATISTICS =
      List.of(
          new Source(
              "databaseBytes", "pgfleet.health.database", "bytes", 1, "Size of the database"),
          new Source(
              "xidAge",
              "pgfleet.health.transaction.id.age",
              null,
              1,
              "Transaction-ID age of the database, age(datfrozenxid)"),
          new Source(
              "xidAge",
              "pgfleet.health.wraparound",
              "ratio",
              1 / WRAPAROUND_LIMIT,
              "Transaction-ID age of the database as a share of the 2^31 at which PostgreSQL"
                  + " stops accepting writes"),
          new Source(
              "deadTuples",
              "pgfleet.health.dead.tuples",
              null,
              1,
              "Dead row versions in all user tables of the database"));

  private final MeterRegistry registry;
  private final Map<String, AtomicReference<Double>> values = new ConcurrentHashMap<>();
  private final Map<String, AtomicReference<Finding.Status>> statuses = new ConcurrentHashMap<>();

  HealthGauges(MeterRegistry registry) {
    this.registry = registry;
  }

  /** A health check of the target completed: its findings and statistics replace the last ones. */
  void checked(String target, List<Finding> findings, Map<String, Object> statistics, Instant at) {
    for (Source s : FROM_FINDINGS) {
      findings.stream()
          .filter(f -> f.check().equals(s.source()))
          .findFirst()
          .ifPresent(f -> set(s, target, f.value()));
    }
    for (Source s : FROM_STATISTICS) {
      if (statistics.containsKey(s.source())) {
        set(s, target, statistics.get(s.source()) instanceof Number n ? n : null);
      }
    }
    for (Finding f : findings) {
      status(target, f.check()).set(f.status());
    }
    set(
        new Source(
            "", "pgfleet.health.check.timestamp", "seconds", 1, "When the last health check ended"),
        target,
        at.getEpochSecond());
  }

  private void set(Source s, String target, Number value) {
    double v = value == null ? Double.NaN : value.doubleValue() * s.scale();
    values
        .computeIfAbsent(
            s.name() + "|" + target,
            k -> {
              AtomicReference<Double> ref = new AtomicReference<>(Double.NaN);
              Gauge.builder(s.name(), ref, AtomicReference::get)
                  .baseUnit(s.unit())
                  .description(s.help())
                  .tag("target", target)
                  .register(registry);
              return ref;
            })
        .set(v);
  }

  private AtomicReference<Finding.Status> status(String target, String check) {
    return statuses.computeIfAbsent(
        target + "|" + check,
        k -> {
          AtomicReference<Finding.Status> ref = new AtomicReference<>(Finding.Status.UNKNOWN);
          for (Finding.Status state : Finding.Status.values()) {
            Gauge.builder("pgfleet.health.check.status", ref, r -> r.get() == state ? 1 : 0)
                .description("1 for the status of a health check's last finding on the target")
                .tag("target", target)
                .tag("check", check)
                .tag("status", state.wireName())
                .register(registry);
          }
          return ref;
        });
  }
}
