package io.pgfleet.worker.procedure;

import io.pgfleet.commands.result.ErrorCode;
import io.pgfleet.worker.failure.ProcedureFailure;

/**
 * The check every destructive operation makes before it touches anything: the command's {@code
 * confirm} repeats the target's name, so that a command meant for another target, or typed in a
 * hurry, changes nothing.
 */
public final class Confirmation {
  private Confirmation() {}

  /**
   * Fails with {@code CONFIRMATION_REQUIRED} unless {@code confirm} is {@code target}; the message
   * is {@code consequence} ("prune-backups deletes backups of order_db"), what to send instead, and
   * {@code otherwise} ("nothing was changed", or the dry run that shows what would happen).
   */
  public static void require(String target, String confirm, String consequence, String otherwise)
      throws ProcedureFailure {
    if (!target.equals(confirm)) {
      throw new ProcedureFailure(
          ErrorCode.CONFIRMATION_REQUIRED,
          consequence
              + ": repeat the target's name as confirm: \""
              + target
              + "\" to go ahead; "
              + otherwise);
    }
  }
}
