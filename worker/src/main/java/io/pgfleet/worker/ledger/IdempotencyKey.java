package io.pgfleet.worker.ledger;

import io.pgfleet.commands.Command;
import io.pgfleet.commands.wire.Canonical;
import io.pgfleet.commands.wire.Json;
import java.util.Objects;

/**
 * What a command id stands for: the id bound to its target, its operation and the sha256 of its
 * parameters in canonical JSON. The same id with anything else is another command, and a conflict.
 *
 * @param dataSha256 hex sha256 of the canonical JSON of the parameters (defaults filled in, so
 *     {@code {}} and the defaults spelled out are the same command)
 */
public record IdempotencyKey(String commandId, String target, String operation, String dataSha256) {

  public IdempotencyKey {
    Objects.requireNonNull(commandId, "commandId");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(dataSha256, "dataSha256");
  }

  public static IdempotencyKey of(Command command) {
    return new IdempotencyKey(
        command.id(),
        command.target(),
        command.operation().wireName(),
        Canonical.sha256(Json.mapper().valueToTree(command.params())));
  }

  /** Whether a ledger row is this command; a row older than the digest matches without one. */
  boolean matches(String target, String operation, String dataSha256) {
    return this.target.equals(target)
        && this.operation.equals(operation)
        && (dataSha256 == null || this.dataSha256.equals(dataSha256));
  }
}
