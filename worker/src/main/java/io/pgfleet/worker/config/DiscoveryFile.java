package io.pgfleet.worker.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.TargetName;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * The {@code discovery} section of a worker config file: servers whose databases become targets,
 * with the connection and operations every discovered target of the server gets.
 */
final class DiscoveryFile {
  private DiscoveryFile() {}

  static List<DiscoverySource> read(JsonNode root, ConfigTree t) {
    List<DiscoverySource> sources = new ArrayList<>();
    root.path("discovery")
        .fieldNames()
        .forEachRemaining(
            server -> {
              if (!TargetName.isValid(server)) {
                t.problem("discovery." + server + ": use letters, digits, '_' or '-' in its name");
                return;
              }
              DiscoverySource source = source(server, root, t);
              if (source != null) {
                sources.add(source);
              }
            });
    return sources;
  }

  private static DiscoverySource source(String server, JsonNode root, ConfigTree t) {
    String p = "discovery." + server + ".";
    var operations = new HashSet<>(t.list(root, p + "operations", DiscoveryFile::operation));
    TargetConfig.Builder template =
        TargetConfig.builder(server)
            .host(t.string(root, p + "host", null))
            .port(t.integer(root, p + "port", 5432))
            .database(t.string(root, p + "maintenanceDatabase", "postgres"))
            .user(t.string(root, p + "user", null))
            .password(t.secret(root, p + "password", true))
            .sslMode(t.string(root, p + "sslMode", "prefer"))
            .operations(operations);
    List<String> include = t.list(root, p + "include", s -> s);
    List<String> exclude = t.list(root, p + "exclude", s -> s);
    var refresh = t.duration(root, p + "refresh", DiscoverySource.DEFAULT_REFRESH);
    return t.build(() -> new DiscoverySource(server, template.build(), include, exclude, refresh));
  }

  private static Operation operation(String name) {
    return Operation.fromWireName(name)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown operation '" + name + "'; known: " + Operation.knownWireNames()));
  }
}
