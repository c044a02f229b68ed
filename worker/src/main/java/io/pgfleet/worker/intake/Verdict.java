package io.pgfleet.worker.intake;

import io.pgfleet.commands.Command;
import io.pgfleet.commands.result.RunError;
import io.pgfleet.worker.procedure.Procedure;
import io.pgfleet.worker.target.TargetDatabase;

/** What admission decided about one command record. */
sealed interface Verdict {

  /** Valid, for a configured target that allows it: to be executed (or found a duplicate). */
  record Admitted(Command command, String json, Procedure procedure, TargetDatabase target)
      implements Verdict {}

  /**
   * Not executable as received: reported as run.rejected and copied to the DLQ.
   *
   * @param commandId null when no well-formed id could be read
   * @param operation the operation's name, or "unknown"
   * @param subject the target the rejection is reported against
   */
  record Rejected(RunError error, String commandId, String operation, String subject)
      implements Verdict {}
}
