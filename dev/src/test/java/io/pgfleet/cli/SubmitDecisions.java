package io.pgfleet.cli;

import io.pgfleet.cli.submit.ExitCodes;
import io.pgfleet.cli.submit.Submission;
import io.pgfleet.commands.Command;
import io.pgfleet.commands.result.ResultEvent;

/** What {@code pgfleet submit} decides, for tests in other packages. */
public final class SubmitDecisions {
  private SubmitDecisions() {}

  /** The exit code of {@code submit --wait} for a result. */
  public static int exitCode(ResultEvent end) {
    return ExitCodes.of(end);
  }

  /** Whether submit warns that the command is destructive. */
  public static boolean destructive(Command command) {
    return Submission.destructive(command);
  }
}
