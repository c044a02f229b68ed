package io.pgfleet.worker.ledger;

import io.pgfleet.commands.result.RunState;
import java.time.Instant;

/** What happened when a worker tried to claim a command id. */
public sealed interface Claim {

  /** The command is ours to execute. */
  record Granted(Lease lease) implements Claim {}

  /** The command id already reached a terminal state: it is not executed again. */
  record AlreadyFinished(RunState state, int attempt, Instant finishedAt, byte[] unpublishedResult)
      implements Claim {}

  /**
   * The id was first used by a different command (another target, operation or parameters): this
   * one is refused, neither executed nor reported as a duplicate of the other.
   */
  record Conflict(RunState stateOfTheOther) implements Claim {}

  /** Another worker holds a live lease on the command. */
  record HeldElsewhere(String worker, int attempt, Instant leaseExpiresAt) implements Claim {}
}
