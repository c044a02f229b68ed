package io.pgfleet.runtime.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.ValidationMessage;
import io.pgfleet.commands.wire.Schemas;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks a settings file against its JSON Schema ({@code schemas/.../v1/config/}), the declaration
 * of every key with its type: every violation becomes a problem with its dotted path, and an
 * unknown key names the nearest known one.
 */
public final class ConfigSchema {
  private static final String CLASSPATH = "/io/pgfleet/schemas/v1/";
  private static final Map<String, JsonNode> RAW = new ConcurrentHashMap<>();

  private ConfigSchema() {}

  /**
   * Loads {@code config/<name>.schema.json} on another thread, so that a cold start loads the
   * validator's classes while its caller parses the file; a failure is left to the check to report.
   */
  public static void prepareInBackground(String name) {
    CompletableFuture.runAsync(() -> Schemas.get("config/" + name + ".schema.json"));
  }

  /** The problems of {@code root} against {@code config/<name>.schema.json}, sorted by path. */
  public static List<String> problems(JsonNode root, String name) {
    return violations(root, name).stream().map(ConfigSchema::describe).distinct().toList();
  }

  /**
   * Adds the problems of {@code root} to {@code problems} and removes every offending value from
   * it, so that the rest can still be bound and checked: one run lists every mistake.
   */
  public static void check(ObjectNode root, String name, List<String> problems) {
    List<ValidationMessage> violations = violations(root, name);
    violations.stream().map(ConfigSchema::describe).distinct().forEach(problems::add);
    for (ValidationMessage m : violations) {
      String pointer = m.getInstanceLocation().toString();
      if ("additionalProperties".equals(m.getType())) {
        remove(root, pointer + "/" + m.getProperty().replace("~", "~0").replace("/", "~1"));
      } else if (!"required".equals(m.getType()) && !pointer.isEmpty()) {
        remove(root, pointer);
      }
    }
  }

  private static List<ValidationMessage> violations(JsonNode root, String name) {
    return Schemas.get("config/" + name + ".schema.json").validate(root).stream()
        .sorted(Comparator.comparing((ValidationMessage m) -> m.getInstanceLocation().toString()))
        .toList();
  }

  private static void remove(ObjectNode root, String pointer) {
    int slash = pointer.lastIndexOf('/');
    JsonNode parent = root.at(pointer.substring(0, slash));
    String key = pointer.substring(slash + 1).replace("~1", "/").replace("~0", "~");
    if (parent instanceof ObjectNode object) {
      object.remove(key);
    } else if (parent instanceof ArrayNode array && key.matches("\\d+")) {
      array.set(Integer.parseInt(key), NullNode.getInstance());
    }
  }

  private static String describe(ValidationMessage m) {
    String path = ConfigPath.of(m.getInstanceLocation().toString());
    if ("additionalProperties".equals(m.getType())) {
      String key = m.getProperty();
      String where = path.isEmpty() ? key : path + "." + key;
      return where
          + ": unknown key"
          + NearestKey.to(key, knownKeys(m)).map(k -> ", did you mean '" + k + "'?").orElse("");
    }
    if (m.getSchemaLocation().getFragment().toString().contains("$defs/secret/")) {
      return path
          + (m.getType().endsWith("Properties")
              ? ": give exactly one of env or file"
              : ": write it as {env: VARIABLE} or {file: PATH}; credentials do not belong in"
                  + " config files");
    }
    String text = m.getMessage();
    String location = m.getInstanceLocation().toString();
    if (text.startsWith(location + ": ")) {
      text = text.substring(location.length() + 2);
    }
    if ("type".equals(m.getType()) && text.endsWith(" expected")) {
      text = "expected " + words(m.getSchemaNode());
    }
    if ("required".equals(m.getType())) {
      String key = m.getProperty();
      return (path.isEmpty() ? key : path + "." + key) + ": required";
    }
    return (path.isEmpty() ? "(file)" : path) + ": " + text;
  }

  /** The expected types in words; never the value found, which may be a credential. */
  private static String words(JsonNode types) {
    List<String> out = new ArrayList<>();
    (types.isArray() ? types : List.of(types))
        .forEach(
            t ->
                out.add(
                    switch (t.asText()) {
                      case "boolean" -> "true or false";
                      case "integer" -> "a whole number";
                      case "number" -> "a number";
                      case "string" -> "a text value";
                      case "object" -> "a mapping";
                      case "array" -> "a list";
                      default -> t.asText();
                    }));
    return String.join(" or ", out);
  }

  private static List<String> knownKeys(ValidationMessage m) {
    String iri = m.getSchemaLocation().getAbsoluteIri().toString();
    String fragment = m.getSchemaLocation().getFragment().toString();
    String parent = fragment.substring(0, fragment.lastIndexOf('/'));
    JsonNode properties = raw(iri.substring(iri.indexOf("/v1/") + 4)).at(parent + "/properties");
    List<String> keys = new ArrayList<>();
    properties.fieldNames().forEachRemaining(keys::add);
    return keys;
  }

  private static JsonNode raw(String path) {
    return RAW.computeIfAbsent(
        path,
        p -> {
          try (InputStream in = ConfigSchema.class.getResourceAsStream(CLASSPATH + p)) {
            return new ObjectMapper().readTree(in);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }
}
