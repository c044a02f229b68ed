package io.pgfleet.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgfleet.commands.result.ResultEvent;
import io.pgfleet.commands.wire.Json;
import io.pgfleet.commands.wire.ResultCodec;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Holds a published example result to the keys of a real one, so the examples in {@code schemas/}
 * cannot drift from what workers send: the key sets of {@code data} and of every object inside
 * (statistics, artifacts, findings) must be equal. Array elements are compared as the union of
 * their keys; a finding's items only against the real finding of the same check.
 */
final class ExampleKeys {
  private static final String EXAMPLES = "/io/pgfleet/schemas/v1/examples/results/";

  private ExampleKeys() {}

  /** Compares with the event as it was published (its bytes), not as the Java model reads it. */
  static void assertSameKeys(String example, ResultEvent real, ResultStream stream) {
    ResultCodec codec = new ResultCodec();
    byte[] published =
        stream.records().stream()
            .map(ConsumerRecord::value)
            .filter(v -> codec.decode(v).id().equals(real.id()))
            .findFirst()
            .orElseThrow();
    JsonNode expected = load(example).get("data");
    JsonNode actual = read(published).get("data");
    List<String> differences = new ArrayList<>();
    compare(expected, actual, "data", differences);
    assertThat(differences).as("keys of %s against this real data: %s", example, actual).isEmpty();
  }

  private static void compare(JsonNode example, JsonNode real, String path, List<String> out) {
    if (example.isObject() && real.isObject()) {
      Set<String> missing = names(real);
      missing.removeAll(names(example));
      Set<String> extra = names(example);
      extra.removeAll(names(real));
      if (!missing.isEmpty() || !extra.isEmpty()) {
        out.add(path + ": the example lacks " + missing + " and has " + extra + " that real lacks");
      }
      for (String name : names(example)) {
        if (real.has(name)) {
          compare(example.get(name), real.get(name), path + "." + name, out);
        }
      }
    } else if (example.isArray() && real.isArray() && !example.isEmpty() && !real.isEmpty()) {
      if (example.get(0).has("check")) {
        compareFindings(example, real, path, out);
      } else {
        compare(union(example), union(real), path + "[]", out);
      }
    }
  }

  /** Findings differ per check: their own keys as a union, their items per check. */
  private static void compareFindings(
      JsonNode example, JsonNode real, String path, List<String> out) {
    Set<String> exampleKeys = new TreeSet<>();
    example.forEach(f -> exampleKeys.addAll(names(f)));
    Set<String> realKeys = new TreeSet<>();
    real.forEach(f -> realKeys.addAll(names(f)));
    if (!exampleKeys.equals(realKeys)) {
      out.add(
          path + "[]: findings' keys " + exampleKeys + " in the example, " + realKeys + " real");
    }
    for (JsonNode finding : example) {
      for (JsonNode r : real) {
        if (r.path("check").equals(finding.get("check"))
            && r.has("items")
            && finding.has("items")) {
          compare(
              finding.get("items"),
              r.get("items"),
              path + "[" + finding.get("check") + "].items",
              out);
        }
      }
    }
  }

  private static JsonNode union(JsonNode array) {
    var merged = Json.mapper().createObjectNode();
    for (JsonNode element : array) {
      if (!element.isObject()) {
        return element;
      }
      for (Iterator<String> it = element.fieldNames(); it.hasNext(); ) {
        String name = it.next();
        if (!merged.has(name)) {
          merged.set(name, element.get(name));
        }
      }
    }
    return merged;
  }

  private static Set<String> names(JsonNode node) {
    Set<String> names = new TreeSet<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static JsonNode load(String example) {
    try (InputStream in = ExampleKeys.class.getResourceAsStream(EXAMPLES + example)) {
      return Json.mapper().readTree(in);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read example " + example, e);
    }
  }

  private static JsonNode read(byte[] event) {
    try {
      return Json.mapper().readTree(event);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
