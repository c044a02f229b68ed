package io.pgfleet.worker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgfleet.runtime.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Purge policies in the worker config: names are identifiers, never SQL. */
class PurgePolicyConfigTest {
  @TempDir Path dir;

  @Test
  void the_shipped_example_policies_load_with_their_archives() throws Exception {
    Path file = dir.resolve("worker.yaml");
    try (var in = getClass().getResourceAsStream("/worker.example.yaml")) {
      Files.copy(in, file);
    }

    WorkerConfig config = WorkerConfigFile.load(file, Map.of(), false);

    TargetConfig orders = config.target("order_db").orElseThrow();
    assertThat(orders.purgePolicies())
        .containsOnlyKeys("outbox-published", "outbox-failed", "idempotency");
    PurgePolicy published = orders.purgePolicy("outbox-published").orElseThrow();
    assertThat(published.table().toString()).isEqualTo("public.outbox_events");
    assertThat(published.statusValues()).containsExactly("published");
    assertThat(published.olderThan()).isEqualTo(Duration.ofDays(7));
    assertThat(orders.purgePolicy("outbox-failed").orElseThrow().archive())
        .isEqualTo(PurgePolicy.Archive.table("outbox_events_archive"));
    PurgePolicy audit =
        config.target("warehouse_db").orElseThrow().purgePolicy("audit-archive").orElseThrow();
    assertThat(audit.archive().kind()).isEqualTo(PurgePolicy.Archive.Kind.S3);
    assertThat(audit.timeColumn()).isEqualTo("timestamp");
    assertThat(audit.vacuum()).isTrue();
    PurgePolicy workflows =
        config
            .target("orchestrator")
            .orElseThrow()
            .purgePolicy("completed-workflows")
            .orElseThrow();
    assertThat(workflows.statusValues()).containsExactly("completed", "failed");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "outbox_events; DROP TABLE orders",
        "outbox_events\\\"",
        "public.outbox events",
        "a.b.c"
      })
  void a_table_that_is_not_a_plain_identifier_is_refused(String table) {
    assertThatThrownBy(() -> policy().table(table).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid table name")
        .hasMessageContaining("use letters, digits, '_' or '$'");
  }

  @Test
  void columns_with_quotes_or_semicolons_are_refused() {
    assertThatThrownBy(() -> policy().timeColumn("processed_at\"; --").build())
        .hasMessageContaining("invalid time column name");
    assertThatThrownBy(() -> policy().status("status'", List.of("x")).build())
        .hasMessageContaining("invalid status column name");
    assertThatThrownBy(() -> policy().keyColumn("id;").build())
        .hasMessageContaining("invalid key column name");
    assertThatThrownBy(() -> PurgePolicy.Archive.table("archive; DELETE FROM x"))
        .hasMessageContaining("invalid table name");
  }

  @Test
  void a_config_file_with_a_hostile_or_incomplete_policy_is_refused_with_every_problem()
      throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("w.yaml"),
            """
            kafka: {bootstrapServers: "k:9092"}
            ledger: {url: "jdbc:postgresql://x/y", user: u, password: {env: P}}
            storage: {bucket: b}
            targets:
              order_db:
                host: h
                user: u
                password: {env: P}
                operations: [purge]
                purgePolicies:
                  sneaky:
                    table: "outbox_events; DROP TABLE orders"
                    timeColumn: processed_at
                    olderThan: 7d
                  forgetful:
                    table: outbox_events
                    timeColumn: processed_at
                  half-status:
                    table: outbox_events
                    timeColumn: processed_at
                    olderThan: 7d
                    statusColumn: status
                  odd-archive:
                    table: outbox_events
                    timeColumn: processed_at
                    olderThan: 7d
                    archive: {ftp: somewhere}
                  "bad name!": {table: t, timeColumn: c, olderThan: 1d}
            """);

    assertThatThrownBy(() -> WorkerConfigFile.load(file, Map.of("P", "pw")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(
            "targets.order_db.purgePolicies.sneaky: invalid table name 'outbox_events; DROP")
        .hasMessageContaining("targets.order_db.purgePolicies.forgetful.olderThan: required")
        .hasMessageContaining("give statusColumn and statusValues together")
        .hasMessageContaining("targets.order_db.purgePolicies.odd-archive.archive.ftp: unknown key")
        .hasMessageContaining("targets.order_db.purgePolicies.bad name!: invalid policy name");
  }

  @Test
  void batch_by_ctid_is_read_from_the_file_and_refused_with_an_s3_archive_or_an_unknown_value()
      throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("pages.yaml"),
            """
            kafka: {bootstrapServers: "k:9092"}
            ledger: {url: "jdbc:postgresql://x/y", user: u, password: {env: P}}
            storage: {bucket: b}
            targets:
              order_db:
                host: h
                user: u
                password: {env: P}
                operations: [purge]
                purgePolicies:
                  by-page: {table: t, timeColumn: c, olderThan: 1d, batchBy: ctid, sessions: 2}
                  by-key: {table: t, timeColumn: c, olderThan: 1d}
            """);

    TargetConfig t = WorkerConfigFile.load(file, Map.of("P", "x")).target("order_db").orElseThrow();

    assertThat(t.purgePolicy("by-page").orElseThrow().batchBy())
        .isEqualTo(PurgePolicy.BatchBy.CTID);
    assertThat(t.purgePolicy("by-key").orElseThrow().batchBy()).isEqualTo(PurgePolicy.BatchBy.KEY);
    assertThat(t.purgePolicy("by-page").orElseThrow().sessions()).isEqualTo(2);
    assertThat(t.purgePolicy("by-key").orElseThrow().sessions()).isEqualTo(1);
    assertThatThrownBy(() -> policy().sessions(2).build())
        .hasMessageContaining("sessions must be 1, or up to 8 with batchBy ctid");
    assertThatThrownBy(() -> policy().batchBy(PurgePolicy.BatchBy.CTID).sessions(9).build())
        .hasMessageContaining("sessions must be 1, or up to 8 with batchBy ctid");
    assertThatThrownBy(
            () ->
                policy().archive(PurgePolicy.Archive.S3).batchBy(PurgePolicy.BatchBy.CTID).build())
        .hasMessageContaining("batchBy ctid works with archive none or table");
    Files.writeString(file, Files.readString(file).replace("batchBy: ctid", "batchBy: random"));
    assertThatThrownBy(() -> WorkerConfigFile.load(file, Map.of("P", "x")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(
            "targets.order_db.purgePolicies.by-page.batchBy: does not have a value in the"
                + " enumeration [\"key\", \"ctid\"]");
  }

  @Test
  void key_batches_are_capped_at_50000_keys_by_default_and_page_slices_at_a_million_rows() {
    assertThat(policy().build().maxBatchSize()).isEqualTo(50_000);
    assertThat(policy().batchBy(PurgePolicy.BatchBy.CTID).build().maxBatchSize())
        .isEqualTo(1_000_000);
    assertThat(policy().batchSize(80_000).build().maxBatchSize()).isEqualTo(80_000);
    assertThat(policy().maxBatchSize(1_000_000).build().maxBatchSize()).isEqualTo(1_000_000);
  }

  @Test
  void a_status_value_with_a_nul_character_is_refused_when_the_policy_is_built_naming_the_policy()
      throws Exception {
    assertThatThrownBy(() -> policy().status("status", List.of("published", "pub\0lished")).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("policy p: a statusValues entry contains a NUL character");
    Path file =
        Files.writeString(
            dir.resolve("nul.yaml"),
            """
            kafka: {bootstrapServers: "k:9092"}
            ledger: {url: "jdbc:postgresql://x/y", user: u, password: {env: P}}
            storage: {bucket: b}
            targets:
              order_db:
                host: h
                user: u
                password: {env: P}
                operations: [purge]
                purgePolicies:
                  nul-status:
                    table: t
                    timeColumn: c
                    olderThan: 1d
                    statusColumn: status
                    statusValues: ["done\\0"]
            """);

    assertThatThrownBy(() -> WorkerConfigFile.load(file, Map.of("P", "x")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("targets.order_db.purgePolicies.nul-status")
        .hasMessageContaining("policy nul-status: a statusValues entry contains a NUL character");
  }

  @Test
  void the_schemas_least_batch_sizes_are_the_least_a_policy_accepts() throws Exception {
    JsonNode properties =
        new ObjectMapper()
            .readTree(getClass().getResource("/io/pgfleet/schemas/v1/config/pgfleet.schema.json"))
            .at("/$defs/purgePolicy/properties");
    int least = properties.path("batchSize").path("minimum").asInt(-1);

    assertThat(properties.path("maxBatchSize").path("minimum").asInt(-1)).isEqualTo(least);
    assertThat(policy().batchSize(least).maxBatchSize(least).build().batchSize()).isEqualTo(least);
    assertThatThrownBy(() -> policy().batchSize(least - 1).maxBatchSize(least).build())
        .hasMessageContaining("need 1 <= batchSize <= maxBatchSize");
    assertThatThrownBy(() -> policy().batchSize(least).maxBatchSize(least - 1).build())
        .hasMessageContaining("need 1 <= batchSize <= maxBatchSize");
  }

  private static PurgePolicy.Builder policy() {
    return PurgePolicy.builder("p")
        .table("outbox_events")
        .timeColumn("processed_at")
        .olderThan(Duration.ofDays(7));
  }
}
