package io.pgfleet.worker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgfleet.commands.Operation;
import io.pgfleet.runtime.config.ConfigException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MaintenanceConfigTest {
  @TempDir Path dir;

  @Test
  void the_shipped_example_sets_permissions_timeouts_and_thresholds() throws Exception {
    Path file = dir.resolve("worker.yaml");
    try (InputStream in = getClass().getResourceAsStream("/worker.example.yaml")) {
      Files.copy(in, file);
    }

    WorkerConfig config = WorkerConfigFile.load(file, Map.of(), false);

    MaintenanceSettings orders = config.target("order_db").orElseThrow().maintenance();
    assertThat(orders.allowVacuumFull()).isFalse();
    assertThat(orders.allowTerminateBackends()).isTrue();
    assertThat(orders.timeouts(Operation.REINDEX))
        .contains(new Timeouts(Duration.ofHours(6), Duration.ofMinutes(1)));
    assertThat(orders.limit(HealthLimit.LONG_RUNNING_QUERIES))
        .isEqualTo(new HealthLimit.Level(300.0, 1800.0));
    assertThat(orders.limit(HealthLimit.TABLE_SIZE))
        .isEqualTo(new HealthLimit.Level(10.0 * (1L << 30), null));
    assertThat(orders.limit(HealthLimit.DEAD_TUPLES)).isEqualTo(HealthLimit.DEAD_TUPLES.defaults());
    assertThat(config.target("payment_db").orElseThrow().maintenance())
        .isEqualTo(MaintenanceSettings.DEFAULTS);
  }

  @Test
  void a_timeout_may_override_only_the_lock_wait() throws Exception {
    MaintenanceSettings m = load("timeouts: {vacuum: {lock: 2s}}");

    assertThat(m.timeouts(Operation.VACUUM)).contains(new Timeouts(null, Duration.ofSeconds(2)));
    assertThat(m.timeouts(Operation.ANALYZE)).isEmpty();
  }

  @Test
  void mistakes_are_reported_with_their_paths() throws Exception {
    assertThatThrownBy(
            () ->
                load(
                    "allow: {vacuumFull: maybe}\n"
                        + "    timeouts: {defrag: {lock: 1s}, vacuum: {lock: soon}}\n"
                        + "    health: {vibes: {warning: 1}, table-size: {warning: huge},"
                        + " connections: {warning: 90, critical: 50}}"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("targets.db.allow.vacuumFull: expected true or false")
        .hasMessageContaining("targets.db.timeouts.defrag: unknown key")
        .hasMessageContaining("targets.db.timeouts.vacuum.lock: expected a duration")
        .hasMessageContaining("targets.db.health.vibes: unknown key")
        .hasMessageContaining("targets.db.health.table-size.warning: expected a size like 512MB")
        .hasMessageContaining("targets.db.health.connections: critical (50.0) must not be below");
  }

  @Test
  void thresholds_are_read_in_their_units() {
    assertThat(HealthLimit.IDLE_IN_TRANSACTION.parse("90s")).isEqualTo(90.0);
    assertThat(HealthLimit.IDLE_IN_TRANSACTION.parse("2")).isEqualTo(2.0);
    assertThat(HealthLimit.UNUSED_INDEXES.parse("8MB")).isEqualTo(8.0 * 1024 * 1024);
    assertThat(HealthLimit.UNUSED_INDEXES.parse("1GiB")).isEqualTo(1024.0 * 1024 * 1024);
    assertThat(HealthLimit.CONNECTIONS.parse("off")).isNull();
  }

  private MaintenanceSettings load(String targetSettings) throws Exception {
    Path file = dir.resolve("w.yaml");
    Files.writeString(
        file,
        """
        kafka: {bootstrapServers: k:9092}
        ledger: {url: "jdbc:postgresql://x/y", user: u, password: {env: P}}
        storage: {bucket: b}
        targets:
          db:
            host: h
            user: u
            password: {env: P}
            %s
        """
            .formatted(targetSettings));
    return WorkerConfigFile.load(file, Map.of("P", "pw")).target("db").orElseThrow().maintenance();
  }
}
