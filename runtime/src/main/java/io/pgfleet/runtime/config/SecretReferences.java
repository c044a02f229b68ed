package io.pgfleet.runtime.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Resolves every secret reference ({@code {env: VARIABLE}} or {@code {file: PATH}}) of the sections
 * a process reads, at start: an unset variable or an unreadable file is a problem with its path,
 * not a failure at the first connection. Values are never kept or printed.
 */
public final class SecretReferences {
  private SecretReferences() {}

  public static List<String> unresolved(
      JsonNode root, Set<String> sections, Map<String, String> env) {
    List<String> problems = new ArrayList<>();
    sections.forEach(s -> walk(root.path(s), s, env, problems));
    return problems;
  }

  private static void walk(JsonNode node, String path, Map<String, String> env, List<String> out) {
    if (node.isObject() && node.size() == 1 && node.path("env").isTextual()) {
      if (env.get(node.get("env").asText()) == null) {
        out.add(path + ": environment variable " + node.get("env").asText() + " is not set");
      }
    } else if (node.isObject() && node.size() == 1 && node.path("file").isTextual()) {
      if (!readable(node.get("file").asText())) {
        out.add(path + ": secret file " + node.get("file").asText() + " is not readable");
      }
    } else if (node.isObject()) {
      node.fields().forEachRemaining(e -> walk(e.getValue(), path + "." + e.getKey(), env, out));
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        walk(node.get(i), path + "[" + i + "]", env, out);
      }
    }
  }

  private static boolean readable(String file) {
    try {
      return Files.isReadable(Path.of(file));
    } catch (RuntimeException invalidPath) {
      return false;
    }
  }
}
