package io.pgfleet.worker.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgfleet.commands.TargetName;
import io.pgfleet.runtime.config.ConfigSchema;
import io.pgfleet.runtime.config.FleetInheritance;
import io.pgfleet.runtime.config.SecretReferences;
import io.pgfleet.runtime.config.SettingsBinder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code discovery} section: servers whose databases become targets. A server holds a target's
 * settings (checked by the same schema, with {@code defaults} and the profiles it {@code extends})
 * plus what only discovery has: {@code include}, {@code exclude}, {@code refresh} and {@code
 * maintenanceDatabase}, the database the list of databases is read from.
 */
final class DiscoverySections {
  private static final List<String> OWN =
      List.of("include", "exclude", "refresh", "maintenanceDatabase");

  /** What only a discovery server has; everything else in it is a target setting. */
  record DiscoveryKeys(
      List<String> include, List<String> exclude, Duration refresh, String maintenanceDatabase) {}

  private DiscoverySections() {}

  static List<DiscoverySource> read(
      JsonNode section,
      ObjectNode file,
      Map<String, String> env,
      boolean resolveSecrets,
      SettingsBinder b) {
    List<DiscoverySource> sources = new ArrayList<>();
    if (section == null || section.isNull() || section.isMissingNode()) {
      return sources;
    }
    if (!section.isObject()) {
      b.problem("discovery: a mapping of server names to servers");
      return sources;
    }
    section
        .fields()
        .forEachRemaining(
            e -> {
              String path = "discovery." + e.getKey();
              if (!TargetName.isValid(e.getKey()) || !e.getValue().isObject()) {
                b.problem(path + ": a server named with letters, digits, '_' or '-', as a mapping");
                return;
              }
              DiscoverySource source =
                  source(e.getKey(), (ObjectNode) e.getValue(), file, env, resolveSecrets, b);
              if (source != null) {
                sources.add(source);
              }
            });
    return sources;
  }

  private static DiscoverySource source(
      String server,
      ObjectNode node,
      ObjectNode file,
      Map<String, String> env,
      boolean resolveSecrets,
      SettingsBinder b) {
    String path = "discovery." + server;
    ObjectNode settings = node.deepCopy();
    ObjectNode own = JsonNodeFactory.instance.objectNode();
    OWN.forEach(key -> own.set(key, settings.remove(key)));
    DiscoveryKeys keys = b.bind(own, path, DiscoveryKeys.class);
    settings.put(
        "database",
        keys == null || keys.maintenanceDatabase() == null
            ? "postgres"
            : keys.maintenanceDatabase());
    // The server's settings are checked and inherited exactly as a target's: a file of one target.
    ObjectNode alone = JsonNodeFactory.instance.objectNode();
    for (String inherited : List.of("defaults", "profiles")) {
      if (file.hasNonNull(inherited)) {
        alone.set(inherited, file.get(inherited));
      }
    }
    alone.putObject("targets").set(server, settings);
    List<String> problems = new ArrayList<>();
    ConfigSchema.check(alone, "pgfleet", problems);
    JsonNode effective = FleetInheritance.resolve(alone, problems).root();
    if (resolveSecrets) {
      problems.addAll(SecretReferences.unresolved(effective, Set.of("targets"), env));
    }
    String prefix = "targets." + server;
    problems.stream()
        .filter(p -> p.startsWith(prefix))
        .forEach(p -> b.problem(path + p.substring(prefix.length())));
    if (keys == null || problems.stream().anyMatch(p -> p.startsWith(prefix))) {
      return null;
    }
    TargetFile target = b.bind(effective.path("targets").path(server), path, TargetFile.class);
    TargetConfig template =
        target == null ? null : b.attempt(path, () -> target.target(server, path, b));
    return template == null
        ? null
        : b.attempt(
            path,
            () ->
                new DiscoverySource(
                    server, template, keys.include(), keys.exclude(), keys.refresh()));
  }
}
