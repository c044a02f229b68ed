package io.pgfleet.commands;

import java.util.Optional;

/**
 * The one definition of a destructive command: it overwrites or deletes data that exists, ends
 * sessions, or locks the target's tables for a rebuild. The worker requires a signature for these
 * (default policy), the dispatcher's API an operator, and {@code pgfleet submit} says so.
 *
 * <p>Destructive: restore {@code replace}, {@code truncate} or from another target's backup (data
 * moves between environments); prune-backups, terminate-backends, repack and reset-statement-stats
 * unless a dry run; vacuum full; reindex without {@code concurrently}; a purge whose policy keeps
 * no archive of what it deletes (or whose policy the asker cannot see); restore-pitr {@code
 * inPlace} (it replaces the target's data directory). Not destructive: restore of the target's own
 * backup into a new database or into tables that do not exist yet or are empty (it fails rather
 * than overwrite), restore-pitr into a new data directory (the original is never touched), backups,
 * verification (logical and physical drills), integrity checks, analyze, health checks.
 */
public final class Destructive {
  private Destructive() {}

  /** What a command's parameters cannot tell: whether a purge policy keeps an archive. */
  @FunctionalInterface
  public interface PurgePolicies {
    /** True when the policy archives what it deletes; empty when this side cannot know. */
    Optional<Boolean> archives(String policy);

    /** For those who do not hold the workers' policies (the dispatcher, the CLI). */
    static PurgePolicies unknown() {
      return policy -> Optional.empty();
    }
  }

  public static boolean is(Command command, PurgePolicies policies) {
    return is(command.operation(), command.params(), policies);
  }

  public static boolean is(Operation operation, OperationParams params, PurgePolicies policies) {
    return switch (operation) {
      case RESTORE -> ((RestoreParams) params).destructive();
      case PRUNE_BACKUPS -> !((PruneBackupsParams) params).dryRun();
      case TERMINATE_BACKENDS -> !((TerminateBackendsParams) params).dryRun();
      case VACUUM -> ((VacuumParams) params).full();
      case REINDEX -> !((ReindexParams) params).concurrently();
      case PURGE -> !policies.archives(((PurgeParams) params).policy()).orElse(false);
      case REPACK -> !((RepackParams) params).dryRun();
      case RESET_STATEMENT_STATS -> !((ResetStatementStatsParams) params).dryRun();
      case RESTORE_PITR -> ((RestorePitrParams) params).replacesDataDirectory();
      case BACKUP,
          VERIFY_BACKUP,
          ANALYZE,
          HEALTH_CHECK,
          BASE_BACKUP,
          CHECK_INTEGRITY,
          VERIFY_BASE_BACKUP ->
          false;
    };
  }
}
