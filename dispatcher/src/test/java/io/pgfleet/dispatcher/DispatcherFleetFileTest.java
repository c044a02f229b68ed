package io.pgfleet.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgfleet.runtime.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dispatcher reads a fleet file shared with the workers, and refuses mistakes with paths. */
class DispatcherFleetFileTest {
  private static final String BASE =
      """
      kafka: {bootstrapServers: "k:9092"}
      ledger: {url: "jdbc:postgresql://pg/pgfleet", user: pgfleet, password: {env: PW}}
      storage: {bucket: b}
      """;
  @TempDir Path dir;

  @Test
  void a_fleet_file_s_targets_join_the_fleet_with_their_own_rpo_and_worker_secrets_are_not_needed()
      throws Exception {
    Path file =
        write(
            BASE
                + """
                defaults: {host: h, user: u, password: {env: ONLY_THE_WORKERS_HAVE_IT}}
                fleet: {rpo: 20h}
                targets:
                  order_db: {}
                  payment_db: {rpo: 2h}
                """);

    DispatcherConfig config = DispatcherConfigFile.load(file, Map.of("PW", "pw"));

    assertThat(config.fleet().targets()).containsOnlyKeys("order_db", "payment_db");
    assertThat(config.fleet().policy("order_db").rpo()).hasHours(20);
    assertThat(config.fleet().policy("payment_db").rpo()).hasHours(2);
  }

  @Test
  void an_invalid_boolean_and_a_misspelled_key_are_refused_with_their_paths() throws Exception {
    Path file = write(BASE + "fleet: {discover: maybe}\nscheduling: {tik: 5s}\n");

    assertThatThrownBy(() -> DispatcherConfigFile.load(file, Map.of("PW", "pw")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("fleet.discover: expected true or false")
        .hasMessageContaining("scheduling.tik: unknown key, did you mean 'tick'?");
  }

  @Test
  void an_unset_ledger_password_variable_is_refused_at_start() throws Exception {
    assertThatThrownBy(() -> DispatcherConfigFile.load(write(BASE), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("ledger.password: environment variable PW is not set");
  }

  private Path write(String yaml) throws Exception {
    return Files.writeString(dir.resolve("fleet.yaml"), yaml);
  }
}
