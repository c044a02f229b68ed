package io.pgfleet.worker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgfleet.runtime.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code restore.allowedSources}: the other targets whose backups a target takes; none by default.
 * A name the file does not know loads with a note (another worker may serve it).
 */
class AllowedSourcesConfigTest {
  static final String FLEET =
      """
      kafka: {bootstrapServers: "k:9092"}
      ledger: {url: "jdbc:postgresql://x/y", user: u, password: {env: P}}
      storage: {bucket: b}
      defaults: {host: h, user: u, password: {env: P}}
      targets:
        order_db_prod: {}
        payment_db: {}
        order_db_staging: {restore: {allowedSources: SOURCES}}
      """;

  @TempDir Path dir;

  @Test
  void a_target_takes_backups_of_the_targets_it_lists_and_of_no_other() throws Exception {
    WorkerConfig config = load("[order_db_prod, order_db_prod]");

    RestoreSettings staging = config.target("order_db_staging").orElseThrow().restore();
    assertThat(staging.allowedSources()).containsExactly("order_db_prod");
    assertThat(staging.allowsSource("order_db_prod")).isTrue();
    assertThat(staging.allowsSource("payment_db")).isFalse();
  }

  @Test
  void without_a_list_a_target_takes_no_other_target_backups() throws Exception {
    WorkerConfig config = load("[]");

    assertThat(config.target("order_db_prod").orElseThrow().restore().allowedSources()).isEmpty();
    assertThat(config.target("order_db_staging").orElseThrow().restore().allowedSources())
        .isEmpty();
    assertThat(RestoreSettings.DEFAULTS.allowedSources()).isEmpty();
  }

  @Test
  void a_target_listing_itself_loads_and_changes_nothing() throws Exception {
    WorkerConfig config = load("[order_db_prod, order_db_staging]");

    assertThat(RestoreSources.unknownNames(Set.of(), List.of(), List.of())).isEmpty();
    assertThat(config.target("order_db_staging").orElseThrow().restore().allowedSources())
        .containsExactly("order_db_prod", "order_db_staging");
  }

  @Test
  void a_name_no_target_of_the_file_has_loads_with_a_note_since_another_worker_may_serve_it()
      throws Exception {
    WorkerConfig config = load("[order_db_prd]");

    TargetConfig staging = config.target("order_db_staging").orElseThrow();
    assertThat(staging.restore().allowsSource("order_db_prd")).isTrue();
    assertThat(notesOnStaging(config))
        .containsExactly(
            "targets.order_db_staging.restore.allowedSources: order_db_prd is no target of this"
                + " file (fine if another worker serves it; check the spelling: a restore from a"
                + " name no worker serves finds no backup)");
  }

  @Test
  void a_malformed_name_is_refused_with_its_path_and_what_a_name_looks_like() {
    assertThatThrownBy(() -> load("[order_db_prod, \"orders/prod\", \"\"]"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(
            "targets.order_db_staging.restore.allowedSources[1]: is not a target name: use 1-63"
                + " letters, digits, '_' or '-', starting with a letter or digit")
        .hasMessageContaining("targets.order_db_staging.restore.allowedSources[2]: is not a target")
        .hasMessageContaining("2 problem(s)");
  }

  @Test
  void a_value_that_is_not_a_list_of_names_is_refused_with_its_path() {
    assertRefused(
        "order_db_prod", "targets.order_db_staging.restore.allowedSources: expected a list");
    assertRefused(
        "[~]", "targets.order_db_staging.restore.allowedSources[0]: expected a text value");
    assertRefused(
        "[{name: order_db_prod}]",
        "targets.order_db_staging.restore.allowedSources[0]: expected a text value");
  }

  @Test
  void a_name_in_defaults_applies_to_every_target_and_the_named_one_loads_too() throws Exception {
    WorkerConfig config =
        load(
            FLEET
                .replace("{restore: {allowedSources: SOURCES}}", "{}")
                .replace(
                    "defaults: {host: h, user: u, password: {env: P}}",
                    "defaults: {host: h, user: u, password: {env: P},"
                        + " restore: {allowedSources: [payment_db]}}"));

    for (String target : List.of("order_db_prod", "payment_db", "order_db_staging")) {
      assertThat(config.target(target).orElseThrow().restore().allowsSource("payment_db")).isTrue();
    }
  }

  @Test
  void a_database_a_discovery_server_selects_is_known_and_the_server_list_is_noted_too()
      throws Exception {
    String discovery =
        """
        discovery:
          platform:
            host: p
            user: u
            password: {env: P}
            include: ["*_prod", "postgres"]
            exclude: ["legacy_*"]
            restore: {allowedSources: [order_db_prod, LIST]}
        """;

    WorkerConfig config =
        load(FLEET.replace("SOURCES", "[shop_prod]") + discovery.replace(", LIST", ""));
    TargetConfig staging = config.target("order_db_staging").orElseThrow();
    assertThat(staging.restore().allowsSource("shop_prod")).isTrue();
    assertThat(notesOnStaging(config)).isEmpty();

    WorkerConfig noted =
        load(
            FLEET.replace("SOURCES", "[legacy_prod, postgres]")
                + discovery.replace("LIST", "shop_db"));
    assertThat(notesOnStaging(noted))
        .satisfiesExactly(
            n ->
                assertThat(n)
                    .startsWith(
                        "targets.order_db_staging.restore.allowedSources: legacy_prod is no target"),
            n ->
                assertThat(n)
                    .as("the maintenance database is never a target")
                    .startsWith(
                        "targets.order_db_staging.restore.allowedSources: postgres is no target"),
            n ->
                assertThat(n)
                    .startsWith("discovery.platform.restore.allowedSources: shop_db is no target"));
  }

  /** What loading logs about the staging target's and the discovery servers' lists. */
  private static List<String> notesOnStaging(WorkerConfig config) {
    return RestoreSources.unknownNames(
        Set.of("order_db_prod", "payment_db", "order_db_staging"),
        List.of(config.target("order_db_staging").orElseThrow()),
        config.discovery());
  }

  private void assertRefused(String sources, String message) {
    assertThatThrownBy(() -> load(sources))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(message);
  }

  private WorkerConfig load(String sourcesOrFile) throws Exception {
    String yaml =
        sourcesOrFile.contains("targets:")
            ? sourcesOrFile
            : FLEET.replace("SOURCES", sourcesOrFile);
    return WorkerConfigFile.load(Files.writeString(dir.resolve("w.yaml"), yaml), Map.of("P", "p"));
  }
}
