package io.pgfleet.worker.procedure;

import io.pgfleet.commands.Command;
import io.pgfleet.commands.Destructive;
import io.pgfleet.commands.Operation;
import io.pgfleet.worker.config.PurgePolicy;
import io.pgfleet.worker.config.TargetConfig;
import io.pgfleet.worker.failure.ProcedureFailure;
import java.util.Optional;

/**
 * One maintenance operation as the worker executes it. A procedure does the work and reports what
 * it produced; claiming, leases, results and offsets are the worker's business.
 */
public interface Procedure {

  Operation operation();

  /**
   * Whether the procedure takes the target's fleet-wide lock: at most one heavy operation runs on a
   * target at a time.
   */
  default boolean heavy() {
    return true;
  }

  /**
   * Whether this command takes the target's fleet-wide lock. Light commands (a dry run, ANALYZE,
   * VACUUM of listed tables) run beside a heavy one, on their own run slots, and hold no ledger
   * connection while they work.
   */
  default boolean heavy(Command command) {
    return heavy();
  }

  /**
   * Whether this command destroys or locks out something (drops, deletes, terminates, takes an
   * exclusive lock), by the one definition the dispatcher and the CLI use too ({@link
   * Destructive}). Destructive commands need a signature by default.
   */
  default boolean destructive(Command command, TargetConfig target) {
    return Destructive.is(command, purgePolicies(target));
  }

  /**
   * The target's purge policies, as {@link Destructive} asks about them. A name the target has no
   * policy for deletes nothing (the run fails with UNKNOWN_POLICY, naming the policies it has).
   */
  static Destructive.PurgePolicies purgePolicies(TargetConfig target) {
    return name ->
        Optional.of(
            target
                .purgePolicy(name)
                .map(p -> p.archive().kind() != PurgePolicy.Archive.Kind.NONE)
                .orElse(true));
  }

  /**
   * Executes the command. Artifacts reported as done are complete (their manifests exist); on
   * failure, nothing the run wrote may look complete.
   *
   * @throws ProcedureFailure with a stable code and a message an operator can act on
   * @throws InterruptedException when the run was cancelled (lease lost, shutdown)
   */
  ProcedureResult execute(RunContext context) throws ProcedureFailure, InterruptedException;
}
