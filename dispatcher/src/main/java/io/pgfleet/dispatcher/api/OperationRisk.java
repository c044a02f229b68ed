package io.pgfleet.dispatcher.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.pgfleet.commands.Destructive;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.OperationParams;
import io.pgfleet.commands.wire.Json;
import java.util.Optional;

/**
 * Which commands only an operator may submit: those {@link Destructive} calls destructive, the
 * definition the workers use to require a signature. The dispatcher does not hold the workers'
 * purge policies, so every purge counts as destructive here. An operation this build does not know,
 * or parameters it cannot read (the schemas refuse them right after, with a 400), count as
 * destructive when they carry {@code confirm}, which every destructive variant requires.
 */
public final class OperationRisk {
  private OperationRisk() {}

  /**
   * Whether the command can destroy data or interrupt service.
   *
   * @param params the command's data; null counts as {}
   */
  public static boolean isDestructive(String operation, JsonNode params) {
    JsonNode data = params == null ? Json.mapper().createObjectNode() : params;
    Optional<Operation> known = Operation.fromWireName(operation);
    if (known.isEmpty()) {
      return data.has("confirm");
    }
    try {
      OperationParams typed = Json.mapper().treeToValue(data, known.get().paramsType());
      return Destructive.is(known.get(), typed, Destructive.PurgePolicies.unknown());
    } catch (JsonProcessingException | IllegalArgumentException e) {
      return data.has("confirm");
    }
  }

  /** The role a command needs. */
  public static Role required(String operation, JsonNode params) {
    return isDestructive(operation, params) ? Role.OPERATOR : Role.REQUESTER;
  }
}
