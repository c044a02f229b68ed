package io.pgfleet.worker.run;

import io.pgfleet.commands.Command;
import io.pgfleet.commands.result.ErrorCode;
import io.pgfleet.commands.result.RunError;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What a command's {@code time} may claim, measured on the worker's clock. A command from further
 * in the future than the clock skew is refused (signed with a far {@code time}, it could otherwise
 * be replayed for as long); one without {@code expiresat} older than the maximum age expires, so a
 * new consumer group or a new ledger never replays history.
 *
 * @param clockSkew how far ahead of this worker's clock a producer's clock may be
 * @param maxAge the oldest a command without {@code expiresat} may be to start
 */
public record CommandTime(Duration clockSkew, Duration maxAge, Clock clock) {
  /** Empty when {@code time} is not beyond the clock skew; otherwise why it is refused. */
  public Optional<RunError> checkNotFromTheFuture(Command command) {
    Instant latest = clock.instant().plus(clockSkew);
    if (!command.time().isAfter(latest)) {
      return Optional.empty();
    }
    return Optional.of(
        RunError.of(
            ErrorCode.INVALID_COMMAND,
            "time "
                + command.time()
                + " is more than "
                + clockSkew
                + " ahead of this worker's clock: fix the producer's clock (security.clockSkew"
                + " sets the tolerance)",
            "/time"));
  }

  /**
   * When the command stops being executable: its {@code expiresat}, or {@code time} plus the
   * maximum age when it has none.
   */
  public Instant expiry(Command command) {
    return command.expiresAt() != null ? command.expiresAt() : command.time().plus(maxAge);
  }

  public boolean expired(Command command) {
    return !clock.instant().isBefore(expiry(command));
  }
}
