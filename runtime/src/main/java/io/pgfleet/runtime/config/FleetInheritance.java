package io.pgfleet.runtime.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Resolves a fleet file's inheritance: every target starts from {@code defaults}, then each profile
 * it {@code extends} (in order, a profile may extend others), then its own settings. Mappings merge
 * key by key; a value (text, number, list, a secret reference, an archive) is replaced whole.
 */
public final class FleetInheritance {
  private static final Set<String> WHOLE =
      Set.of("password", "accessKey", "secretKey", "privateKey", "token", "archive");
  private static final List<String> REQUIRED = List.of("host", "user", "password");

  private FleetInheritance() {}

  /**
   * The file with {@code targets} replaced by the effective targets and without {@code defaults}
   * and {@code profiles}; problems (an unknown profile, a missing required setting) are added.
   */
  public static Effective resolve(ObjectNode file, List<String> problems) {
    ObjectNode root = file.deepCopy();
    JsonNode defaults = root.remove("defaults");
    JsonNode profiles = root.remove("profiles");
    ObjectNode targets = root.putObject("targets");
    Map<String, Map<String, String>> origins = new LinkedHashMap<>();
    file.path("targets")
        .fields()
        .forEachRemaining(
            e -> {
              Layers layers = new Layers(profiles, problems, "targets." + e.getKey());
              if (defaults != null) {
                layers.add(defaults, "defaults");
              }
              layers.extend(e.getValue(), List.of());
              layers.add(e.getValue(), "target");
              ObjectNode effective = layers.merged();
              effective.remove("extends");
              if (e.getValue().isObject()) {
                REQUIRED.stream()
                    .filter(key -> !effective.hasNonNull(key))
                    .filter(key -> reportedNowhere(problems, e.getKey(), key))
                    .forEach(
                        key ->
                            problems.add(
                                "targets."
                                    + e.getKey()
                                    + "."
                                    + key
                                    + ": required (in the target, a profile it extends or defaults)"));
              }
              targets.set(e.getKey(), effective);
              origins.put(e.getKey(), layers.origins());
            });
    return new Effective(root, origins);
  }

  /** Nothing is said yet of this key in the target, its profiles or defaults (a literal value). */
  private static boolean reportedNowhere(List<String> problems, String target, String key) {
    return problems.stream()
        .noneMatch(
            p ->
                p.startsWith("targets." + target + "." + key + ":")
                    || p.startsWith("defaults." + key + ":")
                    || (p.startsWith("profiles.") && p.contains("." + key + ":")));
  }

  /**
   * @param root the file as a worker or dispatcher reads it
   * @param origins per target, per dotted setting: defaults, profile NAME or target
   */
  public record Effective(ObjectNode root, Map<String, Map<String, String>> origins) {}

  /** The layers of one target, merged in order. */
  private static final class Layers {
    private final JsonNode profiles;
    private final List<String> problems;
    private final String path;
    private final ObjectNode merged = JsonNodeFactory.instance.objectNode();
    private final Map<String, String> origins = new LinkedHashMap<>();

    Layers(JsonNode profiles, List<String> problems, String path) {
      this.profiles = profiles;
      this.problems = problems;
      this.path = path;
    }

    void extend(JsonNode layer, List<String> seen) {
      JsonNode names = layer.path("extends");
      List<String> list = new ArrayList<>();
      if (names.isTextual()) {
        list.add(names.asText());
      }
      names.forEach(n -> list.add(n.asText()));
      for (String name : list) {
        JsonNode profile = profiles == null ? null : profiles.get(name);
        if (profile == null || !profile.isObject()) {
          problems.add(path + ".extends: no profile '" + name + "'" + known(name));
        } else if (seen.contains(name)) {
          problems.add(path + ".extends: profile '" + name + "' extends itself");
        } else {
          List<String> deeper = new ArrayList<>(seen);
          deeper.add(name);
          extend(profile, deeper);
          add(profile, "profile " + name);
        }
      }
    }

    void add(JsonNode layer, String origin) {
      if (layer.isObject()) {
        merge(merged, (ObjectNode) layer, "", origin);
      }
    }

    private void merge(ObjectNode into, ObjectNode layer, String prefix, String origin) {
      layer
          .fields()
          .forEachRemaining(
              e -> {
                String key = prefix + e.getKey();
                JsonNode old = into.get(e.getKey());
                if (e.getValue().isObject()
                    && old != null
                    && old.isObject()
                    && !WHOLE.contains(e.getKey())) {
                  merge((ObjectNode) old, (ObjectNode) e.getValue(), key + ".", origin);
                } else if (e.getValue().isObject() && !WHOLE.contains(e.getKey())) {
                  ObjectNode copy = into.putObject(e.getKey());
                  origins.keySet().removeIf(k -> k.startsWith(key + "."));
                  merge(copy, (ObjectNode) e.getValue(), key + ".", origin);
                } else {
                  into.set(e.getKey(), e.getValue().deepCopy());
                  origins.keySet().removeIf(k -> k.startsWith(key + "."));
                  origins.put(key, origin);
                }
              });
    }

    ObjectNode merged() {
      return merged;
    }

    Map<String, String> origins() {
      origins.remove("extends");
      return origins;
    }

    private String known(String name) {
      if (profiles == null || profiles.isEmpty()) {
        return " (the file has no profiles)";
      }
      List<String> names = new ArrayList<>();
      profiles.fieldNames().forEachRemaining(names::add);
      return NearestKey.to(name, names)
          .map(k -> ", did you mean '" + k + "'?")
          .orElse("; known: " + String.join(", ", names));
    }
  }
}
