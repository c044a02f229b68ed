package io.pgfleet.commands.signing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgfleet.commands.wire.Json;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The canonical form a signature covers: the command's JSON object without its {@code signature}
 * attribute, object keys sorted, no whitespace, UTF-8. For the values commands carry (strings,
 * integers, booleans, null) this is the JSON Canonicalization Scheme of RFC 8785.
 *
 * <p>The timestamps {@code time} and {@code expiresat} are written as the instant they name, in UTC
 * as {@link Instant#toString()} does ({@code 2026-11-21T02:00:00.120Z}): CloudEvents SDKs re-render
 * a timestamp ({@code .12Z}, {@code +00:00}) when they move an event between structured and binary
 * mode, and a signature must survive that.
 */
public final class Canonical {
  public static final String SIGNATURE = "signature";
  private static final List<String> TIMESTAMPS = List.of("time", "expiresat");

  private Canonical() {}

  public static byte[] of(JsonNode command) {
    ObjectNode copy = ((ObjectNode) command).deepCopy();
    copy.remove(SIGNATURE);
    for (String name : TIMESTAMPS) {
      JsonNode value = copy.get(name);
      if (value != null && value.isTextual()) {
        copy.put(name, instant(value.textValue()));
      }
    }
    try {
      return Json.mapper().writeValueAsBytes(sorted(copy));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot canonicalize a command", e);
    }
  }

  private static String instant(String text) {
    try {
      return OffsetDateTime.parse(text).toInstant().toString();
    } catch (DateTimeParseException e) {
      return text;
    }
  }

  private static JsonNode sorted(JsonNode node) {
    if (node.isObject()) {
      Map<String, JsonNode> fields = new TreeMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        fields.put(e.getKey(), sorted(e.getValue()));
      }
      ObjectNode out = Json.mapper().createObjectNode();
      fields.forEach(out::set);
      return out;
    }
    if (node.isArray()) {
      var out = Json.mapper().createArrayNode();
      node.forEach(item -> out.add(sorted(item)));
      return out;
    }
    return node;
  }
}
