package io.pgfleet.worker.config;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgfleet.runtime.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mistakes a new user made with runbook 000's fleet are refused at start, with their path. */
class ConfigMistakesTest {
  private static final Map<String, String> ENV = Map.of("P", "pw");
  @TempDir Path dir;

  @Test
  void a_misspelled_archive_in_a_purge_policy_is_refused_naming_the_key_it_meant()
      throws Exception {
    assertRefused(
        target(
            "purgePolicies: {outbox: {table: t, timeColumn: c, olderThan: 7d, archiv: {table: a}}}"),
        "targets.order_db.purgePolicies.outbox.archiv: unknown key, did you mean 'archive'?");
  }

  @Test
  void a_misspelled_max_concurrent_is_refused_instead_of_falling_back_to_the_default()
      throws Exception {
    assertRefused(
        MINIMAL + "runs: {maxConcurent: 8}\n",
        "runs.maxConcurent: unknown key, did you mean 'maxConcurrent'?");
  }

  @Test
  void a_literal_password_is_refused_with_its_path_and_never_echoed() throws Exception {
    assertThatThrownBy(() -> load(MINIMAL.replace("password: {env: P}}", "password: hunter2}")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(
            "targets.order_db.password: write it as {env: VARIABLE} or {file: PATH}")
        .message()
        .doesNotContain("hunter2");
  }

  @Test
  void a_target_without_host_is_refused_with_its_path() throws Exception {
    assertRefused(MINIMAL.replace("{host: h, ", "{"), "targets.order_db.host: required");
  }

  @Test
  void an_unset_environment_variable_or_unreadable_secret_file_is_refused_at_start()
      throws Exception {
    Path file =
        write(
            MINIMAL.replace("password: {env: P}}", "password: {env: ORDER_PW}}")
                + "encryption: {keys: {k1: {file: /nonexistent/key}}}\n");
    assertThatThrownBy(() -> WorkerConfigFile.load(file, ENV))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("targets.order_db.password: environment variable ORDER_PW is not set")
        .hasMessageContaining("encryption.keys.k1: secret file /nonexistent/key is not readable");
  }

  @Test
  void an_invalid_boolean_is_refused_with_its_path() throws Exception {
    assertRefused(
        MINIMAL + "metrics: {enabled: yes please}\n", "metrics.enabled: expected true or false");
  }

  @Test
  void every_problem_is_listed_not_only_the_first() throws Exception {
    assertThatThrownBy(
            () ->
                load(
                    MINIMAL.replace("{host: h, ", "{")
                        + "runs: {maxConcurent: 8}\nmetrics: {enabled: 1}\n"))
        .hasMessageContaining("3 problem(s)")
        .hasMessageContaining("targets.order_db.host: required")
        .hasMessageContaining("runs.maxConcurent")
        .hasMessageContaining("metrics.enabled");
  }

  @Test
  void a_file_that_is_not_yaml_is_refused_with_where_and_without_quoting_its_lines()
      throws Exception {
    assertThatThrownBy(() -> load(MINIMAL + "storage: {bucket: b\n  password: hunter2: x\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("at line")
        .message()
        .doesNotContain("hunter2");
  }

  @Test
  void a_target_written_twice_is_refused_where_the_second_one_starts() throws Exception {
    assertThatThrownBy(
            () -> load(MINIMAL + "  order_db: {host: other, user: u, password: {env: P}}\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("at line 6")
        .hasMessageContaining("Duplicate field 'order_db'");
  }

  static final String MINIMAL =
      """
      kafka: {bootstrapServers: "k:9092"}
      ledger: {url: "jdbc:postgresql://x/y", user: u, password: {env: P}}
      storage: {bucket: b}
      targets:
        order_db: {host: h, user: u, password: {env: P}}
      """;

  private static String target(String extra) {
    return MINIMAL.replace("password: {env: P}}", "password: {env: P}, " + extra + "}");
  }

  private void assertRefused(String yaml, String message) throws Exception {
    assertThatThrownBy(() -> load(yaml))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(message);
  }

  private WorkerConfig load(String yaml) throws Exception {
    return WorkerConfigFile.load(write(yaml), ENV);
  }

  private Path write(String yaml) throws Exception {
    return Files.writeString(dir.resolve("w.yaml"), yaml);
  }
}
