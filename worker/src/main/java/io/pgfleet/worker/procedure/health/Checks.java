package io.pgfleet.worker.procedure.health;

import io.pgfleet.worker.config.HealthLimit;
import java.util.List;

/** The daily checklist, in the order findings are reported. */
final class Checks {
  private Checks() {}

  static final List<Check> ALL =
      List.of(
          Check.of(HealthLimit.DATABASE_SIZE, SizeChecks::databaseSize),
          Check.of(HealthLimit.DATABASE_GROWTH, SizeChecks::databaseGrowth),
          Check.of(HealthLimit.CONNECTIONS, SessionChecks::connections),
          Check.of(HealthLimit.LONG_RUNNING_QUERIES, SessionChecks::longRunningQueries),
          Check.of(HealthLimit.IDLE_IN_TRANSACTION, SessionChecks::idleInTransaction),
          Check.of(HealthLimit.BLOCKING_LOCKS, BlockingLocks::check),
          Check.of(HealthLimit.DEAD_TUPLES, TableChecks::deadTuples),
          Check.of(HealthLimit.STALE_ANALYZE, TableChecks::staleAnalyze),
          Check.of(HealthLimit.STALE_VACUUM, TableChecks::staleVacuum),
          Check.of(HealthLimit.WRAPAROUND, Wraparound::check),
          Check.of(HealthLimit.SEQUENCE_EXHAUSTION, SequenceCheck::check),
          Check.of(HealthLimit.INVALID_INDEXES, IndexChecks::invalid),
          Check.of(HealthLimit.UNUSED_INDEXES, IndexChecks::unused),
          Check.of(HealthLimit.DUPLICATE_INDEXES, IndexChecks::duplicates),
          Check.of(HealthLimit.INDEX_BLOAT, IndexBloat::check),
          Check.of(HealthLimit.TABLE_SIZE, TableSizes::check),
          Check.of(HealthLimit.PREPARED_TRANSACTIONS, SessionChecks::preparedTransactions),
          Check.of(HealthLimit.REPLICATION_LAG, ReplicationChecks::lag),
          Check.of(HealthLimit.REPLICATION_SLOTS, ReplicationChecks::slots),
          Check.of(HealthLimit.SLOW_STATEMENTS, SlowStatements::check),
          Check.of(HealthLimit.WAL_SIZE, WalChecks::walSize),
          Check.of(HealthLimit.ARCHIVER, WalChecks::archiver),
          Check.of(HealthLimit.SLOT_RETAINED_WAL, WalChecks::slotRetainedWal),
          Check.of(HealthLimit.DISK_SPACE, DiskHeadroom::check),
          Check.of(HealthLimit.SECURITY, SecurityPosture::check),
          Check.of(HealthLimit.AUTOVACUUM_TUNING, AutovacuumAdvice::check));

  /** The checks named, in checklist order; all of them for an empty list. */
  static List<Check> select(List<String> names) {
    return names.isEmpty() ? ALL : ALL.stream().filter(c -> names.contains(c.name())).toList();
  }
}
