package io.pgfleet.dispatcher.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgfleet.commands.Command;
import io.pgfleet.commands.wire.CommandRejection;
import io.pgfleet.dispatcher.send.CommandRequest;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * The body of {@code POST /api/v1/commands}, read strictly: known fields only, strings and
 * date-times where expected; the wire codec's complaints point back at the body's fields.
 */
final class CommandBody {
  private static final Set<String> FIELDS =
      Set.of("id", "operation", "target", "params", "expiresAt");

  /** Where the wire codec's pointers land in the request body. */
  private static final Map<String, String> POINTERS =
      Map.of(
          "/id", "/id",
          "/subject", "/target",
          "/type", "/operation",
          "/expiresat", "/expiresAt",
          "/data", "/params");

  private CommandBody() {}

  static void requireKnownFields(JsonNode body) {
    if (body == null || !body.isObject()) {
      throw invalid("/", "the body must be a JSON object");
    }
    body.fieldNames()
        .forEachRemaining(
            f -> {
              if (!FIELDS.contains(f)) {
                throw invalid("/" + f, "unknown field; allowed: " + String.join(", ", FIELDS));
              }
            });
  }

  static JsonNode params(JsonNode body) {
    JsonNode params = body.get("params");
    if (params != null && !params.isObject()) {
      throw invalid("/params", "must be a JSON object");
    }
    return params;
  }

  static Command validate(CommandRequest request) {
    try {
      return request.validate();
    } catch (CommandRejection e) {
      String field = e.error().field() == null ? "/" : e.error().field();
      throw invalid(bodyPointer(field), e.error().message());
    }
  }

  /** The request-body pointer for a pointer into the CloudEvent the request became. */
  static String bodyPointer(String eventPointer) {
    for (var entry : POINTERS.entrySet()) {
      String prefix = entry.getKey();
      if (eventPointer.equals(prefix) || eventPointer.startsWith(prefix + "/")) {
        return entry.getValue() + eventPointer.substring(prefix.length());
      }
    }
    return eventPointer;
  }

  static String text(JsonNode body, String field, boolean required) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      if (required) {
        throw invalid("/" + field, "required");
      }
      return null;
    }
    if (!value.isTextual()) {
      throw invalid("/" + field, "must be a string");
    }
    return value.asText();
  }

  static Instant instant(JsonNode body, String field) {
    String text = text(body, field, false);
    if (text == null) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (RuntimeException e) {
      throw invalid("/" + field, "must be a date-time such as 2026-11-21T05:00:00Z");
    }
  }

  static Problem.Answer invalid(String pointer, String detail) {
    return Problem.invalid("invalid-command", "Invalid command", FieldError.body(pointer, detail))
        .answer();
  }
}
