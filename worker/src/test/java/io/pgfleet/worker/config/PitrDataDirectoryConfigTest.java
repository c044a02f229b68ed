package io.pgfleet.worker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgfleet.runtime.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code pitr.dataDirectory}: the server's own data directory, which in-place recovery replaces.
 */
class PitrDataDirectoryConfigTest {
  private static final String FLEET =
      """
      kafka: {bootstrapServers: "k:9092"}
      ledger: {url: "jdbc:postgresql://x/y", user: u, password: {env: P}}
      storage: {bucket: b}
      defaults: {host: h, user: u, password: {env: P}}
      targets:
        order_db: {pitr: {restoreRoot: /var/lib/pgfleet/pitr, dataDirectory: DIR}}
        payment_db: {}
      """;

  @TempDir Path dir;

  @Test
  void a_target_names_its_servers_data_directory_and_others_have_none() throws Exception {
    WorkerConfig config = load("/var/lib/postgresql/15/main");

    assertThat(config.target("order_db").orElseThrow().pitr().dataDirectory())
        .isEqualTo(Path.of("/var/lib/postgresql/15/main"));
    assertThat(config.target("payment_db").orElseThrow().pitr().dataDirectory()).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"main", "/", "/var/lib/postgresql/15/../15/main", "./data", "\"\""})
  void a_data_directory_that_is_not_an_absolute_plain_path_is_refused_at_its_path(String value) {
    assertThatThrownBy(() -> load(value))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("targets.order_db.pitr")
        .hasMessageContaining("pitr.dataDirectory must be the server's data directory");
  }

  private WorkerConfig load(String dataDirectory) throws Exception {
    Path file = Files.writeString(dir.resolve("worker.yaml"), FLEET.replace("DIR", dataDirectory));
    return WorkerConfigFile.load(file, Map.of("P", "secret"), true);
  }
}
