package io.pgfleet.cli.submit;

import io.pgfleet.commands.result.Outcome;
import io.pgfleet.commands.result.ResultEvent;

/** What {@code pgfleet submit --wait} exits with: 0 only if the run succeeded. */
public final class ExitCodes {
  public static final int FAILED = 1;
  public static final int REJECTED = 3;
  public static final int EXPIRED = 4;
  public static final int TIMED_OUT = 5;

  private ExitCodes() {}

  /** The exit code of a run's terminal result; a duplicate exits as the original run did. */
  public static int of(ResultEvent end) {
    Outcome outcome = end.outcome();
    if (outcome == Outcome.DUPLICATE) {
      outcome = Outcome.fromWireName(end.data().original().outcome()).orElse(Outcome.FAILED);
    }
    return switch (outcome) {
      case SUCCEEDED -> 0;
      case REJECTED -> REJECTED;
      case EXPIRED -> EXPIRED;
      default -> FAILED;
    };
  }
}
