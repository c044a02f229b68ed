package io.pgfleet.worker.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgfleet.commands.Durations;
import io.pgfleet.runtime.config.ConfigException;
import io.pgfleet.runtime.config.Secret;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads typed settings out of a parsed config file and collects every problem with its path, so one
 * run of the worker reports all mistakes at once.
 */
final class ConfigTree {
  private final List<String> problems = new ArrayList<>();
  private final Map<String, String> overrides;

  ConfigTree(Map<String, String> overrides) {
    this.overrides = overrides;
  }

  String string(JsonNode node, String path, String fallback) {
    String override = overrides.get(path);
    if (override != null) {
      return override;
    }
    JsonNode value = at(node, path);
    if (value.isMissingNode() || value.isNull()) {
      if (fallback == null) {
        problems.add(path + ": required");
      }
      return fallback;
    }
    if (!value.isValueNode()) {
      problems.add(path + ": expected a text value");
      return fallback;
    }
    return value.asText();
  }

  String optionalString(JsonNode node, String path) {
    String override = overrides.get(path);
    JsonNode value = at(node, path);
    return override != null ? override : value.isValueNode() ? value.asText() : null;
  }

  int integer(JsonNode node, String path, int fallback) {
    String text = string(node, path, String.valueOf(fallback));
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      problems.add(path + ": expected a whole number, not '" + text + "'");
      return fallback;
    }
  }

  boolean bool(JsonNode node, String path, boolean fallback) {
    String text = string(node, path, String.valueOf(fallback));
    if (!text.equals("true") && !text.equals("false")) {
      problems.add(path + ": expected true or false, not '" + text + "'");
      return fallback;
    }
    return Boolean.parseBoolean(text);
  }

  Duration duration(JsonNode node, String path, Duration fallback) {
    String text = string(node, path, fallback.toString());
    try {
      return Durations.parse(text);
    } catch (IllegalArgumentException e) {
      problems.add(path + ": " + e.getMessage());
      return fallback;
    }
  }

  /** A secret written as {@code {env: NAME}} or {@code {file: PATH}}; never as plain text. */
  Secret secret(JsonNode node, String path, boolean required) {
    JsonNode value = at(node, path);
    if (value.isMissingNode() || value.isNull()) {
      if (required) {
        problems.add(path + ": required, as {env: VARIABLE} or {file: PATH}");
      }
      return null;
    }
    if (value.isTextual()) {
      problems.add(
          path
              + ": write it as {env: VARIABLE} or {file: PATH}; "
              + "credentials do not belong in config files");
      return null;
    }
    if (value.hasNonNull("env") && !value.hasNonNull("file")) {
      return Secret.fromEnv(value.get("env").asText());
    }
    if (value.hasNonNull("file") && !value.hasNonNull("env")) {
      return Secret.fromFile(Path.of(value.get("file").asText()));
    }
    problems.add(path + ": give exactly one of env or file");
    return null;
  }

  Map<String, String> stringMap(JsonNode node, String path) {
    Map<String, String> out = new LinkedHashMap<>();
    at(node, path).fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
    return out;
  }

  <T> List<T> list(JsonNode node, String path, Function<String, T> parse) {
    List<T> out = new ArrayList<>();
    JsonNode value = at(node, path);
    if (!value.isMissingNode() && !value.isArray()) {
      problems.add(path + ": expected a list");
      return out;
    }
    for (JsonNode item : value) {
      try {
        out.add(parse.apply(item.asText()));
      } catch (RuntimeException e) {
        problems.add(path + ": " + e.getMessage());
      }
    }
    return out;
  }

  /**
   * Builds a value whose own checks may fail; a failure is recorded as a problem (the value is then
   * null, and {@link #check} will throw).
   */
  <T> T build(java.util.function.Supplier<T> builder) {
    try {
      return builder.get();
    } catch (RuntimeException e) {
      if (problems.isEmpty()) {
        problems.add(e.getMessage());
      }
      return null;
    }
  }

  void problem(String message) {
    problems.add(message);
  }

  /** Throws one exception listing every problem found, if there was any. */
  void check(String source) {
    if (!problems.isEmpty()) {
      throw new ConfigException(
          source
              + " has "
              + problems.size()
              + " problem(s):\n  - "
              + String.join("\n  - ", problems));
    }
  }

  /** The node at a dotted path; a missing node when there is none. */
  JsonNode node(JsonNode root, String path) {
    return at(root, path);
  }

  private static JsonNode at(JsonNode node, String path) {
    JsonNode current = node;
    for (String part : path.split("\\.")) {
      current = current.path(part);
    }
    return current;
  }
}
