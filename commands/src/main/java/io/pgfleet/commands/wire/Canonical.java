package io.pgfleet.commands.wire;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The canonical form a signature covers: the command's JSON object without its {@code signature}
 * attribute, object keys sorted, no whitespace, UTF-8. For the values commands carry (strings,
 * integers, booleans, null) this is the JSON Canonicalization Scheme of RFC 8785. What is signed is
 * that form bound to the topic the command is meant for ({@link #forTopic}), so a command captured
 * in one fleet (topic prefix) does not run in another.
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

  /**
   * The bytes a signature covers: the command topic's name, a newline (which no topic name holds),
   * then the canonical form.
   */
  public static byte[] forTopic(String topic, byte[] canonical) {
    byte[] name = (topic + "\n").getBytes(StandardCharsets.UTF_8);
    byte[] out = Arrays.copyOf(name, name.length + canonical.length);
    System.arraycopy(canonical, 0, out, name.length, canonical.length);
    return out;
  }

  /** Hex sha256 of any JSON value's canonical form: equal for equal values, whatever key order. */
  public static String sha256(JsonNode value) {
    try {
      byte[] canonical = Json.mapper().writeValueAsBytes(sorted(value));
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
    } catch (JsonProcessingException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("cannot digest a JSON value", e);
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
