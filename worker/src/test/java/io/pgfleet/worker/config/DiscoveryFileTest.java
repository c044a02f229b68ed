package io.pgfleet.worker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgfleet.commands.Operation;
import io.pgfleet.runtime.config.ConfigException;
import io.pgfleet.runtime.config.Secret;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code discovery} section of a worker config file. */
class DiscoveryFileTest {
  private static final String BASE =
      """
      kafka: {bootstrapServers: "k:9092"}
      ledger: {url: "jdbc:postgresql://x/y", user: u, password: {env: P}}
      storage: {bucket: b}
      """;

  @TempDir Path dir;

  @Test
  void the_shipped_example_discovers_the_platform_server() throws Exception {
    Path file = dir.resolve("worker.yaml");
    try (InputStream in = getClass().getResourceAsStream("/worker.example.yaml")) {
      Files.copy(in, file);
    }

    DiscoverySource platform = WorkerConfigFile.load(file, Map.of(), false).discovery().get(0);

    assertThat(platform.name()).isEqualTo("platform");
    assertThat(platform.include()).containsExactly("*_db");
    assertThat(platform.exclude()).containsExactly("*_test", "legacy_*");
    assertThat(platform.refresh()).isEqualTo(Duration.ofSeconds(60));
    TargetConfig shop = platform.targetFor("shop_db");
    assertThat(shop.name()).isEqualTo("shop_db");
    assertThat(shop.database()).isEqualTo("shop_db");
    assertThat(shop.host()).isEqualTo("platform-pg.internal");
    assertThat(shop.password()).isEqualTo(Secret.fromEnv("PLATFORM_PG_PASSWORD"));
    assertThat(shop.allows(Operation.ANALYZE)).isTrue();
    assertThat(shop.allows(Operation.PURGE)).isFalse();
  }

  @Test
  void a_worker_with_only_a_discovery_server_loads_with_defaults() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("w.yaml"),
            BASE + "discovery:\n  main: {host: h, user: u, password: {env: P}}\n");

    WorkerConfig config = WorkerConfigFile.load(file, Map.of("P", "secret"));

    assertThat(config.targets()).isEmpty();
    DiscoverySource main = config.discovery().get(0);
    assertThat(main.maintenanceDatabase()).isEqualTo("postgres");
    assertThat(main.include()).isEqualTo(List.of("*"));
    assertThat(main.exclude()).isEmpty();
    assertThat(main.refresh()).isEqualTo(DiscoverySource.DEFAULT_REFRESH);
    assertThatThrownBy(() -> main.targetFor("shop.eu")).hasMessageContaining("invalid target name");
  }

  @Test
  void mistakes_in_a_discovery_server_are_each_listed_with_their_path() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("w.yaml"),
            BASE
                + """
                discovery:
                  main: {user: u, password: hunter2, refresh: soon, operations: [defrag]}
                  "bad name": {host: h, user: u, password: {env: P}}
                """);

    assertThatThrownBy(() -> WorkerConfigFile.load(file, Map.of("P", "secret")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("discovery.main.host: required")
        .hasMessageContaining("discovery.main.password: write it as {env: VARIABLE}")
        .hasMessageContaining("discovery.main.refresh: ")
        .hasMessageContaining(
            "discovery.main.operations[0]: does not have a value in the enumeration")
        .hasMessageContaining("discovery.bad name: ")
        .message()
        .doesNotContain("configure at least one target")
        .doesNotContain("hunter2");
  }

  @Test
  void a_worker_with_neither_targets_nor_discovery_is_refused() throws Exception {
    Path file = Files.writeString(dir.resolve("w.yaml"), BASE);

    assertThatThrownBy(() -> WorkerConfigFile.load(file, Map.of("P", "secret")))
        .hasMessageContaining("targets: configure at least one target database");
  }
}
