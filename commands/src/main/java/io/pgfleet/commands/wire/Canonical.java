package io.pgfleet.commands.wire;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * The canonical form a signature covers: the command's JSON object without its {@code signature}
 * attribute, object keys sorted, no whitespace, UTF-8. For the values commands carry (strings,
 * integers, booleans, null) this is the JSON Canonicalization Scheme of RFC 8785.
 */
public final class Canonical {
  public static final String SIGNATURE = "signature";

  private Canonical() {}

  public static byte[] of(JsonNode command) {
    ObjectNode copy = ((ObjectNode) command).deepCopy();
    copy.remove(SIGNATURE);
    try {
      return Json.mapper().writeValueAsBytes(sorted(copy));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot canonicalize a command", e);
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
