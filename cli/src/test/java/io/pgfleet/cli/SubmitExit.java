package io.pgfleet.cli;

import io.pgfleet.commands.result.ResultEvent;

/** What {@code pgfleet submit --wait} exits with for a result, for tests in other packages. */
public final class SubmitExit {
  private SubmitExit() {}

  public static int code(ResultEvent end) {
    return SubmitCommand.exitCode(end);
  }
}
