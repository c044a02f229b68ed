package io.pgfleet.worker.ledger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.pgfleet.commands.Command;
import io.pgfleet.commands.wire.Canonical;
import io.pgfleet.commands.wire.Json;
import java.util.Objects;

/**
 * What a command id stands for: the id bound to its target, its operation and the sha256 of its
 * parameters in canonical JSON. The same id with anything else is another command, and a conflict.
 *
 * @param dataSha256 hex sha256 of the RFC 8785 canonical JSON of the {@code data} as received. Not
 *     of the parameters with their defaults filled in: a worker of a newer version, whose
 *     parameters have a new field with a default, must still recognise the command an older worker
 *     claimed (a takeover during a rolling upgrade, a redelivery after it).
 */
public record IdempotencyKey(String commandId, String target, String operation, String dataSha256) {

  public IdempotencyKey {
    Objects.requireNonNull(commandId, "commandId");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(dataSha256, "dataSha256");
  }

  /**
   * @param commandJson the command as the ledger stores it (structured mode, binary-mode commands
   *     converted), whose {@code data} is hashed
   */
  public static IdempotencyKey of(Command command, String commandJson) {
    JsonNode data;
    try {
      data = Json.mapper().readTree(commandJson).path("data");
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("the command's JSON no longer parses", e);
    }
    return new IdempotencyKey(
        command.id(),
        command.target(),
        command.operation().wireName(),
        Canonical.sha256(data.isMissingNode() || data.isNull() ? NO_DATA : data));
  }

  private static final JsonNode NO_DATA = Json.mapper().createObjectNode();

  /** Whether a ledger row is this command; a row older than the digest matches without one. */
  boolean matches(String target, String operation, String dataSha256) {
    return this.target.equals(target)
        && this.operation.equals(operation)
        && (dataSha256 == null || this.dataSha256.equals(dataSha256));
  }
}
