package io.pgfleet.commands;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A maintenance command: one operation on one target. {@code id} is the idempotency key: the same
 * id is the same command, however often it arrives.
 *
 * @param expiresAt when set, a command not started by then is not executed
 */
public record Command(
    String id,
    String source,
    Operation operation,
    String target,
    Instant time,
    Instant expiresAt,
    OperationParams params) {

  public Command {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(params, "params");
    TargetName.require(target);
    if (!operation.paramsType().isInstance(params)) {
      throw new IllegalArgumentException(
          operation.wireName() + " takes " + operation.paramsType().getSimpleName());
    }
  }

  public Optional<Instant> expiry() {
    return Optional.ofNullable(expiresAt);
  }

  public <P extends OperationParams> P params(Class<P> type) {
    return type.cast(params);
  }

  public boolean isExpiredAt(Instant now) {
    return expiresAt != null && !now.isBefore(expiresAt);
  }
}
