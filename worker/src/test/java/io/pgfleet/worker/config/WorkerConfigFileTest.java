package io.pgfleet.worker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgfleet.commands.Operation;
import io.pgfleet.runtime.config.ConfigException;
import io.pgfleet.runtime.config.MetricsSettings;
import io.pgfleet.runtime.config.Secret;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkerConfigFileTest {
  @TempDir Path dir;

  @Test
  void the_shipped_example_loads() throws Exception {
    Path file = dir.resolve("worker.yaml");
    try (InputStream in = getClass().getResourceAsStream("/worker.example.yaml")) {
      Files.copy(in, file);
    }

    WorkerConfig config = WorkerConfigFile.load(file, Map.of(), false);

    assertThat(config.workerId()).isEqualTo("worker-1");
    assertThat(config.kafka().topics().commands("order_db")).isEqualTo("pgfleet.commands.order_db");
    assertThat(config.runs().leaseTtl()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.storage().partSizeBytes()).isEqualTo(16 << 20);
    assertThat(config.target("order_db").orElseThrow().allows(Operation.BACKUP)).isTrue();
    assertThat(config.target("payment_db").orElseThrow().database()).isEqualTo("payment_db");
    assertThat(config.target("payment_db").orElseThrow().password())
        .isEqualTo(Secret.fromEnv("PAYMENT_DB_PASSWORD"));
    TargetConfig orders = config.target("order_db").orElseThrow();
    assertThat(orders.retention())
        .isEqualTo(new io.pgfleet.worker.retention.RetentionPolicy(7, 14, 7, 5, 12));
    assertThat(orders.restore().allowOverwrite()).isFalse();
    assertThat(orders.restore().adminOn(orders).user()).isEqualTo("postgres");
    assertThat(orders.restore().adminOn(orders).host()).isEqualTo("orders-pg.internal");
    assertThat(orders.restore().scratchFor(orders).host()).isEqualTo("drills-pg.internal");
    TargetConfig payments = config.target("payment_db").orElseThrow();
    assertThat(payments.restore().adminOn(payments).user())
        .as("without admin, the target's own user")
        .isEqualTo("payment_user");
    assertThat(config.target("payment_db").orElseThrow().retention()).isNull();
    assertThat(config.encryption().activeKeyId()).isEqualTo("k2026");
    assertThat(config.encryption().keys()).containsKeys("k2025", "k2026");
    assertThat(config.metrics()).isEqualTo(new MetricsSettings(9400));
    assertThat(config.storage().timeouts()).isEqualTo(StorageTimeouts.DEFAULTS);
    assertThat(orders.pitr().stream())
        .isEqualTo(new WalStreamSettings(true, "pgfleet_order_db", Duration.ofSeconds(5)));
    assertThat(payments.pitr().stream()).as("not streamed unless configured").isNull();
  }

  @Test
  void storage_timeouts_are_read_and_an_attempt_longer_than_the_call_is_refused() throws Exception {
    Path ok =
        write(
            minimal()
                .replace(
                    "storage: {bucket: b}",
                    "storage: {bucket: b, timeouts: {call: 20s, attempt: 5s}}"));
    StorageTimeouts t = WorkerConfigFile.load(ok, Map.of("P", "pw")).storage().timeouts();
    assertThat(t.call()).isEqualTo(Duration.ofSeconds(20));
    assertThat(t.attempt()).isEqualTo(Duration.ofSeconds(5));
    assertThat(t.read()).isEqualTo(StorageTimeouts.DEFAULTS.read());

    Path bad =
        write(
            minimal()
                .replace(
                    "storage: {bucket: b}",
                    "storage: {bucket: b, timeouts: {call: 5s, attempt: 1m}}"));
    assertThatThrownBy(() -> WorkerConfigFile.load(bad, Map.of("P", "pw")))
        .hasMessageContaining("storage.timeouts.attempt");
  }

  @Test
  void the_metrics_endpoint_is_off_unless_enabled_and_then_listens_on_9400() throws Exception {
    Path file = write(minimal());

    assertThat(WorkerConfigFile.load(file, Map.of("P", "pw")).metrics().enabled()).isFalse();
    assertThat(
            WorkerConfigFile.load(file, Map.of("P", "pw", "PGFLEET_METRICS_ENABLED", "true"))
                .metrics()
                .port())
        .isEqualTo(MetricsSettings.DEFAULT_PORT);
    assertThatThrownBy(
            () ->
                WorkerConfigFile.load(
                    file,
                    Map.of(
                        "P",
                        "pw",
                        "PGFLEET_METRICS_ENABLED",
                        "true",
                        "PGFLEET_METRICS_PORT",
                        "70000")))
        .hasMessageContaining("metrics.port");
  }

  @Test
  void the_check_for_a_second_worker_group_runs_every_15_s_unless_set_and_never_every_0_s()
      throws Exception {
    Map<String, String> env = Map.of("P", "pw", "PGFLEET_METRICS_ENABLED", "true");
    assertThat(WorkerConfigFile.load(write(minimal()), env).metrics().workerGroupsEvery())
        .isEqualTo(Duration.ofSeconds(15));
    String set = minimal() + "metrics: {enabled: true, workerGroupsEvery: 2s}\n";
    assertThat(WorkerConfigFile.load(write(set), env).metrics().workerGroupsEvery())
        .isEqualTo(Duration.ofSeconds(2));
    Path zero = write(minimal() + "metrics: {enabled: true, workerGroupsEvery: 0s}\n");
    assertThatThrownBy(() -> WorkerConfigFile.load(zero, env))
        .hasMessageContaining("metrics.workerGroupsEvery: must be positive");
  }

  @Test
  void environment_variables_override_single_settings() throws Exception {
    Path file = write(minimal());

    WorkerConfig config =
        WorkerConfigFile.load(
            file,
            Map.of(
                "P",
                "pw",
                "PGFLEET_KAFKA_BOOTSTRAP_SERVERS",
                "k9:9092",
                "PGFLEET_WORKER_ID",
                "w-7"));

    assertThat(config.kafka().bootstrapServers()).isEqualTo("k9:9092");
    assertThat(config.workerId()).isEqualTo("w-7");
  }

  @Test
  void the_ledger_pool_grows_with_the_runs_and_a_pool_too_small_for_them_is_refused()
      throws Exception {
    Path roomy = write(minimal() + "runs: {maxConcurrent: 8}\n");
    assertThat(WorkerConfigFile.load(roomy, Map.of("P", "pw")).ledger().poolSize()).isEqualTo(10);

    Path cramped =
        write(
            minimal().replace("password: {env: P}}", "password: {env: P}, poolSize: 4}")
                + "runs: {maxConcurrent: 8}\n");
    assertThatThrownBy(() -> WorkerConfigFile.load(cramped, Map.of("P", "pw")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("ledger.poolSize: 4 is too small for runs.maxConcurrent 8")
        .hasMessageContaining("at least 10");
  }

  @Test
  void every_problem_is_reported_at_once_with_its_path() throws Exception {
    Path file =
        write(
            """
            kafka: {}
            ledger: {url: "jdbc:postgresql://x/y", user: u, password: hunter2}
            storage: {bucket: b}
            runs: {leaseTtl: soon}
            targets:
              "bad name": {host: h, user: u, password: {env: P}}
              order_db: {host: h, user: u, password: {env: P}, operations: [backup, defrag]}
            """);

    assertThatThrownBy(() -> WorkerConfigFile.load(file, Map.of("P", "pw")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("kafka.bootstrapServers: required")
        .hasMessageContaining("ledger.password: write it as {env: VARIABLE} or {file: PATH}")
        .hasMessageContaining("runs.leaseTtl: expected a duration like 30s")
        .hasMessageContaining("targets.bad name: invalid target name")
        .hasMessageContaining(
            "targets.order_db.operations[1]: does not have a value in the enumeration")
        .message()
        .doesNotContain("hunter2");
  }

  @Test
  void a_secret_file_is_read_without_its_trailing_newline() throws Exception {
    Path secret = Files.writeString(dir.resolve("pw"), "s3cret\n");
    assertThat(Secret.fromFile(secret).reveal()).isEqualTo("s3cret");
    assertThatThrownBy(() -> Secret.fromEnv("PGFLEET_TEST_SURELY_UNSET").reveal())
        .hasMessage("environment variable PGFLEET_TEST_SURELY_UNSET is not set");
  }

  private Path write(String yaml) throws Exception {
    return Files.writeString(dir.resolve("w.yaml"), yaml);
  }

  private static String minimal() {
    return """
        kafka: {bootstrapServers: "k:9092"}
        ledger: {url: "jdbc:postgresql://x/y", user: u, password: {env: P}}
        storage: {bucket: b}
        targets:
          order_db: {host: h, user: u, password: {env: P}, operations: [backup]}
        """;
  }
}
