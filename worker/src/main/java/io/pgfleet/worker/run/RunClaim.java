package io.pgfleet.worker.run;

import io.pgfleet.commands.Command;
import io.pgfleet.commands.result.ErrorCode;
import io.pgfleet.commands.result.RunError;
import io.pgfleet.worker.ledger.Claim;
import io.pgfleet.worker.ledger.IdempotencyKey;
import io.pgfleet.worker.ledger.Lease;
import io.pgfleet.worker.procedure.Cancellation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A command's claim in the ledger: the lease, or a duplicate reported, or a refusal when its id
 * belongs to another command; while another worker holds it, waits for that lease to end.
 */
final class RunClaim {
  private static final Logger log = LoggerFactory.getLogger(RunClaim.class);

  private final RunServices services;
  private final Command command;
  private final String commandJson;
  private final Cancellation cancellation;
  private final ResultOutbox outbox;
  private volatile RunError rejection;

  RunClaim(
      RunServices services,
      Command command,
      String commandJson,
      Cancellation cancellation,
      ResultOutbox outbox) {
    this.services = services;
    this.command = command;
    this.commandJson = commandJson;
    this.cancellation = cancellation;
    this.outbox = outbox;
  }

  /** Why the command was refused when {@link #lease} gave none and reported no duplicate. */
  RunError rejection() {
    return rejection;
  }

  /**
   * The lease, or null when the command already ended (the duplicate is then reported) or its id
   * belongs to another command (then {@link #rejection} says so).
   */
  Lease lease() throws InterruptedException {
    IdempotencyKey key = IdempotencyKey.of(command, commandJson);
    while (true) {
      Claim claim =
          services
              .ledger()
              .claim(key, services.workerId(), services.settings().leaseTtl(), commandJson);
      if (claim instanceof Claim.Granted granted) {
        return granted.lease();
      }
      if (claim instanceof Claim.AlreadyFinished done) {
        outbox.duplicate(done);
        return null;
      }
      if (claim instanceof Claim.Conflict) {
        rejection =
            RunError.of(
                ErrorCode.COMMAND_ID_CONFLICT,
                "command id "
                    + command.id()
                    + " is already taken by another command (another target, operation or"
                    + " parameters); an id means one command: publish this one under a new id",
                "/id");
        log.warn("command {} reuses the id of another command: not executed", command.id());
        return null;
      }
      waitFor((Claim.HeldElsewhere) claim);
    }
  }

  private void waitFor(Claim.HeldElsewhere held) throws InterruptedException {
    log.info(
        "command {} is held by {} (attempt {}) until {}; waiting",
        command.id(),
        held.worker(),
        held.attempt(),
        held.leaseExpiresAt());
    long millis =
        Math.max(
            200, Math.min(2_000, held.leaseExpiresAt().toEpochMilli() - services.clock().millis()));
    Thread.sleep(millis);
    cancellation.check();
  }
}
