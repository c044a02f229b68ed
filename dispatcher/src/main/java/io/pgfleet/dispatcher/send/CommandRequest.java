package io.pgfleet.dispatcher.send;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgfleet.commands.Command;
import io.pgfleet.commands.wire.CommandCodec;
import io.pgfleet.commands.wire.CommandRejection;
import io.pgfleet.commands.wire.Json;
import java.time.Instant;

/**
 * A command as a schedule or an API client asks for it: any operation name and a params object.
 * {@link #validate} turns it into a {@link Command} through the wire codec, so it passes exactly
 * the schemas a worker checks.
 *
 * @param params the command's {@code data}; null for {}
 * @param expiresAt null for none
 */
public record CommandRequest(
    String id,
    String source,
    String operation,
    String target,
    JsonNode params,
    Instant time,
    Instant expiresAt) {
  private static final CommandCodec CODEC = new CommandCodec();

  /** The command, or a rejection whose {@code field} is a JSON pointer into the CloudEvent. */
  public Command validate() throws CommandRejection {
    return CODEC.decode(bytes(toCloudEvent()));
  }

  /** The command as a CloudEvent in structured JSON mode. */
  public ObjectNode toCloudEvent() {
    ObjectNode event = Json.mapper().createObjectNode();
    event.put("specversion", "1.0");
    event.put("id", id);
    event.put("source", source);
    event.put("type", "io.pgfleet.command." + operation + ".v1");
    event.put("subject", target);
    event.put("time", time.toString());
    if (expiresAt != null) {
      event.put("expiresat", expiresAt.toString());
    }
    event.set("data", params == null ? Json.mapper().createObjectNode() : params.deepCopy());
    return event;
  }

  private static byte[] bytes(ObjectNode event) {
    try {
      return Json.mapper().writeValueAsBytes(event);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot encode a command request", e);
    }
  }
}
