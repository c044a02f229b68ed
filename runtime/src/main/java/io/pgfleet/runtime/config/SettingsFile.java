package io.pgfleet.runtime.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A YAML settings file as a tree, with single settings overridden by environment variables. */
public final class SettingsFile {
  /** A key written twice (a target block pasted again) is refused, not silently the last one. */
  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory()).enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private SettingsFile() {}

  /** The file's mapping; a {@link ConfigException} naming the file if it is not one. */
  public static ObjectNode read(Path file) {
    JsonNode root;
    try {
      root = YAML.readTree(Files.readAllBytes(file));
    } catch (JsonProcessingException e) {
      // Only the first line: a YAML parser's message goes on to quote the file, credentials too.
      JsonLocation at = e.getLocation();
      throw new ConfigException(
          "cannot read config "
              + file
              + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr())
              + ": "
              + String.valueOf(e.getOriginalMessage()).lines().findFirst().orElse(""));
    } catch (IOException | RuntimeException e) {
      throw new ConfigException(
          "cannot read config "
              + file
              + ": "
              + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
    }
    if (root == null || !root.isObject()) {
      throw new ConfigException(file + " is empty or not a YAML mapping");
    }
    return (ObjectNode) root;
  }

  /**
   * Sets each dotted path of {@code overrides} (keyed by variable) whose variable is set in {@code
   * env}; whole numbers and true/false are written as such so the schema checks their types.
   */
  public static void override(
      ObjectNode root, Map<String, String> overrides, Map<String, String> env) {
    overrides.forEach(
        (variable, path) -> {
          String value = env.get(variable);
          if (value == null) {
            return;
          }
          ObjectNode parent = root;
          List<String> parts = List.of(path.split("\\."));
          for (String part : parts.subList(0, parts.size() - 1)) {
            parent = parent.get(part) instanceof ObjectNode child ? child : parent.putObject(part);
          }
          String key = parts.get(parts.size() - 1);
          if (value.matches("-?\\d{1,9}")) {
            parent.put(key, Integer.parseInt(value));
          } else if (value.equals("true") || value.equals("false")) {
            parent.put(key, Boolean.parseBoolean(value));
          } else {
            parent.put(key, value);
          }
        });
  }

  /** Throws one exception listing every problem with its path, if there is any. */
  public static void check(Object source, List<String> problems) {
    if (!problems.isEmpty()) {
      throw new ConfigException(source, problems);
    }
  }
}
