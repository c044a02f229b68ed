package io.pgfleet.worker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Defaults and profiles: a fleet written once, each target only where it differs. */
class FleetFileTest {
  @TempDir Path dir;

  @Test
  void the_17_database_fleet_file_fits_in_40_lines_and_loads_to_the_targets_of_its_long_form()
      throws Exception {
    Path fleet = resource("/fleet.example.yaml");
    Path longForm = resource("/fleet/long-form.yaml");

    WorkerConfig short_ = WorkerConfigFile.load(fleet, Map.of(), false);
    WorkerConfig long_ = WorkerConfigFile.load(longForm, Map.of(), false);

    assertThat(Files.readAllLines(fleet)).hasSizeLessThanOrEqualTo(40);
    assertThat(short_.targets()).hasSize(17).isEqualTo(long_.targets());
    assertThat(short_.target("warehouse_db").orElseThrow().purgePolicies())
        .containsOnlyKeys("outbox-published", "outbox-failed", "idempotency", "audit-archive");
  }

  @Test
  void a_target_s_own_value_wins_and_mappings_merge_key_by_key() throws Exception {
    Path file =
        write(
            """
            defaults: {host: h, user: u, password: {env: P}, port: 5433, allow: {vacuumFull: true}, retention: {keepLast: 3}}
            profiles:
              big: {allow: {repack: true}, retention: {keepDays: 30}}
            targets:
              a_db: {}
              b_db: {extends: big, port: 6000, allow: {vacuumFull: false}}
            """);

    WorkerConfig config = WorkerConfigFile.load(file, Map.of("P", "pw"));

    TargetConfig a = config.target("a_db").orElseThrow();
    TargetConfig b = config.target("b_db").orElseThrow();
    assertThat(a.port()).isEqualTo(5433);
    assertThat(a.maintenance().allowVacuumFull()).isTrue();
    assertThat(b.port()).isEqualTo(6000);
    assertThat(b.maintenance().allowVacuumFull()).isFalse();
    assertThat(b.maintenance().allowRepack()).isTrue();
    assertThat(b.retention())
        .isEqualTo(new io.pgfleet.worker.retention.RetentionPolicy(3, 30, 0, 0, 0));
  }

  @Test
  void an_unknown_profile_is_refused_naming_the_nearest() throws Exception {
    Path file =
        write(
            "defaults: {host: h, user: u, password: {env: P}}\nprofiles: {audited: {port: 1}}\ntargets: {a_db: {extends: audit}}\n");

    assertThatThrownBy(() -> WorkerConfigFile.load(file, Map.of("P", "pw")))
        .hasMessageContaining("targets.a_db.extends: no profile 'audit', did you mean 'audited'?");
  }

  private Path write(String body) throws Exception {
    return Files.writeString(
        dir.resolve("fleet.yaml"),
        """
        kafka: {bootstrapServers: "k:9092"}
        ledger: {url: "jdbc:postgresql://x/y", user: u, password: {env: P}}
        storage: {bucket: b}
        """
            + body);
  }

  private static Path resource(String name) throws Exception {
    return Path.of(FleetFileTest.class.getResource(name).toURI());
  }
}
