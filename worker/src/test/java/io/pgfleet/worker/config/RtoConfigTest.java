package io.pgfleet.worker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgfleet.runtime.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A target's rto, beside the dispatcher's rpo: set for the fleet in defaults, or per target. */
class RtoConfigTest {
  private static final String FLEET =
      """
      kafka: {bootstrapServers: "k:9092"}
      ledger: {url: "jdbc:postgresql://x/y", user: u, password: {env: P}}
      storage: {bucket: b}
      defaults: {host: h, user: u, password: {env: P}, rto: 30m}
      targets:
        order_db: {rto: 10m, rpo: 2h}
        user_db: {}
        audit_db: {rto: off}
      """;

  @TempDir Path dir;

  @Test
  void the_fleet_rto_in_defaults_applies_to_every_target_and_a_target_own_wins() throws Exception {
    WorkerConfig config = load(FLEET.replace("  audit_db: {rto: off}\n", ""));

    assertThat(config.target("order_db").orElseThrow().rto()).isEqualTo(Duration.ofMinutes(10));
    assertThat(config.target("user_db").orElseThrow().rto()).isEqualTo(Duration.ofMinutes(30));
  }

  @Test
  void an_rto_that_is_not_a_duration_is_refused_with_its_path() {
    assertThatThrownBy(() -> load(FLEET))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("targets.audit_db.rto")
        .hasMessageContaining("expected a duration like 30s, 5m, 2h or 7d");
  }

  @Test
  void a_zero_rto_is_refused_with_its_path() {
    assertThatThrownBy(() -> load(FLEET.replace("{rto: off}", "{rto: 0s}")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("targets.audit_db")
        .hasMessageContaining("rto must be positive");
  }

  private WorkerConfig load(String yaml) throws Exception {
    return WorkerConfigFile.load(Files.writeString(dir.resolve("w.yaml"), yaml), Map.of("P", "p"));
  }
}
