package io.pgfleet.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgfleet.dispatcher.api.Role;
import io.pgfleet.runtime.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DispatcherConfigFileTest {
  private static final String BASE =
      """
      kafka: {bootstrapServers: "k:9092"}
      ledger: {url: "jdbc:postgresql://pg/pgfleet", user: pgfleet, password: {env: PW}}
      """;

  @Test
  void a_valid_file_loads_with_hashed_tokens_policies_and_schedules(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("d.yaml");
    Files.writeString(dir.resolve("token"), "s3cret-token\n");
    Files.writeString(
        file,
        BASE
            + """
            api:
              tokens:
                - {name: ops, role: operator, token: {file: %s}}
            fleet: {rpo: 2h, refresh: 3s, targets: {order_db: {rpo: 30h}}}
            schedules:
              - {name: nightly-backup, cron: "0 2 * * *", zone: Europe/Berlin, targets: ["*_db"], operation: backup, params: {compressionLevel: 9}, window: 3h}
            """
                .formatted(dir.resolve("token")));

    DispatcherConfig config =
        DispatcherConfigFile.load(
            file, Map.of("PW", "pw", "PGFLEET_HTTP_LISTEN", "127.0.0.1:9999"));

    assertThat(config.listen().getPort()).isEqualTo(9999);
    assertThat(config.kafka().groupId()).isEqualTo("pgfleet-dispatcher");
    assertThat(config.tokens().get(0).role()).isEqualTo(Role.OPERATOR);
    assertThat(
            config.tokens().get(0).matches(io.pgfleet.dispatcher.api.ApiToken.hash("s3cret-token")))
        .isTrue();
    assertThat(config.tokens().get(0).toString()).doesNotContain("s3cret");
    assertThat(config.fleet().policy("order_db").rpo()).hasHours(30);
    assertThat(config.fleet().policy("other_db").rpo()).hasHours(2);
    assertThat(config.fleet().refresh()).hasSeconds(3);
    assertThat(config.schedules().get(0).calendar().zone().getId()).isEqualTo("Europe/Berlin");
  }

  @Test
  void the_fleet_topics_are_listed_again_every_10_s_unless_set_and_a_zero_interval_is_refused(
      @TempDir Path dir) throws Exception {
    Path file = dir.resolve("d.yaml");
    Files.writeString(file, BASE);
    assertThat(DispatcherConfigFile.load(file, Map.of("PW", "pw")).fleet().refresh())
        .hasSeconds(10);

    Files.writeString(file, BASE + "fleet: {refresh: 0s}\n");
    assertThatThrownBy(() -> DispatcherConfigFile.load(file, Map.of("PW", "pw")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("fleet: refresh must be positive");
  }

  @Test
  void every_problem_is_reported_at_once_with_its_path(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("d.yaml");
    Files.writeString(
        file,
        """
        kafka: {}
        ledger: {url: "jdbc:postgresql://pg/pgfleet", user: pgfleet, password: plain-text}
        api:
          tokens:
            - {name: ops, role: admin, sha256: abc}
        schedules:
          - {name: bad-cron, cron: "0 25 * * *", targets: all, operation: backup}
          - {name: bad-params, cron: "0 2 * * *", targets: all, operation: backup, params: {compressionLevel: 42}}
          - {name: unknown-op, cron: "0 2 * * *", targets: all, operation: defragment}
        """);

    assertThatThrownBy(() -> DispatcherConfigFile.load(file, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("kafka.bootstrapServers: required")
        .hasMessageContaining("ledger.password: write it as {env: VARIABLE} or {file: PATH}")
        .hasMessageContaining("api.tokens[0].role: does not have a value in the enumeration")
        .hasMessageContaining("schedules[0] (bad-cron)")
        .hasMessageContaining("schedules[1] (bad-params) (params/compressionLevel)")
        .hasMessageContaining(
            "schedules[2] (unknown-op) (operation): unknown operation 'defragment'");
  }
}
