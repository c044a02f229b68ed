package io.pgfleet.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgfleet.commands.Command;
import io.pgfleet.commands.Commands;
import io.pgfleet.commands.result.Outcome;
import io.pgfleet.commands.result.ResultEvent;
import io.pgfleet.worker.config.PurgePolicy;
import io.pgfleet.worker.config.TargetConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A purge whose policy does not fit the database is refused before a single row is touched. */
class PurgeRefusalTest {
  private static Fleet fleet;
  private static ResultStream results;
  private static Sql orders;
  private static long outboxRows;

  @BeforeAll
  static void startFleet() {
    fleet = new Fleet("order_db");
    orders = new Sql(fleet.stack.postgres(), fleet.target("order_db"));
    String owner = fleet.databases.get("order_db").owner();
    orders.execute(
        "CREATE TABLE request_log (at timestamptz NOT NULL, path text);"
            + " ALTER TABLE request_log OWNER TO "
            + owner);
    orders.execute(
        "CREATE TABLE click_log (id bigint NOT NULL, at timestamptz NOT NULL) PARTITION BY RANGE"
            + " (at); CREATE TABLE click_log_old PARTITION OF click_log FOR VALUES FROM (MINVALUE)"
            + " TO ('2000-01-01'); CREATE TABLE click_log_new PARTITION OF click_log FOR VALUES"
            + " FROM ('2000-01-01') TO (MAXVALUE);"
            + " INSERT INTO click_log SELECT i, now() - i * interval '1 day'"
            + " FROM generate_series(1, 100) AS i;"
            + " INSERT INTO click_log VALUES (0, '1999-01-01');"
            + " CREATE TABLE view_log (id bigint NOT NULL, at timestamptz NOT NULL);"
            + " CREATE TABLE view_log_2020 () INHERITS (view_log);"
            + " INSERT INTO view_log SELECT i, now() - i * interval '1 day'"
            + " FROM generate_series(1, 100) AS i;"
            + " INSERT INTO view_log_2020 SELECT i, now() - i * interval '1 day'"
            + " FROM generate_series(101, 200) AS i;"
            + " ALTER TABLE click_log OWNER TO "
            + owner
            + "; ALTER TABLE click_log_old OWNER TO "
            + owner
            + "; ALTER TABLE click_log_new OWNER TO "
            + owner
            + "; ALTER TABLE view_log OWNER TO "
            + owner
            + "; ALTER TABLE view_log_2020 OWNER TO "
            + owner);
    outboxRows = orders.count("SELECT count(*) FROM outbox_events");
    results = fleet.results();
    fleet.startWorker(fleet.workerConfig("worker-r", PurgeRefusalTest::withPolicies));
  }

  @AfterAll
  static void stopFleet() throws Exception {
    fleet.close();
  }

  private static TargetConfig withPolicies(TargetConfig t) {
    return t.toBuilder()
        .purgePolicy(outbox("no-such-table").table("outbox_event").build())
        .purgePolicy(outbox("no-such-column").timeColumn("published_at").build())
        .purgePolicy(outbox("no-such-status-column").status("state", List.of("published")).build())
        .purgePolicy(outbox("text-as-time").timeColumn("event_type").build())
        .purgePolicy(outbox("key-not-unique").keyColumn("aggregate_id").build())
        .purgePolicy(outbox("archive-misfit").archive(PurgePolicy.Archive.table("orders")).build())
        .purgePolicy(
            PurgePolicy.builder("no-primary-key")
                .table("request_log")
                .timeColumn("at")
                .olderThan(Duration.ofDays(1))
                .build())
        .purgePolicy(byPage("partitioned-by-page", "click_log"))
        .purgePolicy(byPage("parent-by-page", "view_log"))
        .build();
  }

  private static PurgePolicy byPage(String name, String table) {
    return PurgePolicy.builder(name)
        .table(table)
        .timeColumn("at")
        .olderThan(Duration.ofDays(7))
        .batchBy(PurgePolicy.BatchBy.CTID)
        .build();
  }

  private static PurgePolicy.Builder outbox(String name) {
    return PurgePolicy.builder(name)
        .table("outbox_events")
        .timeColumn("processed_at")
        .olderThan(Duration.ofDays(1));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "no-such-table         | table public.outbox_event does not exist",
        "no-such-column        | table public.outbox_events has no column published_at",
        "no-such-status-column | table public.outbox_events has no column state",
        "text-as-time          | column event_type of public.outbox_events is text; a purge's"
            + " timeColumn must be a timestamptz, timestamp or date column",
        "key-not-unique        | key column aggregate_id of public.outbox_events must be NOT NULL"
            + " with a unique btree index",
        "archive-misfit        | archive table public.orders lacks column(s) aggregate_id,",
        "no-primary-key        | table public.request_log has no single-column primary key: set"
            + " keyColumn in purge policy no-primary-key",
      })
  void a_policy_that_does_not_match_the_catalog_fails_with_what_to_fix(
      String policy, String message) {
    ResultEvent end = purge(policy);

    assertThat(end.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(end.data().error().code()).isEqualTo("UNKNOWN_OBJECT");
    assertThat(end.data().error().message()).contains(message);
    assertThat(end.data().error().retryable()).isFalse();
    assertThat(orders.count("SELECT count(*) FROM outbox_events")).isEqualTo(outboxRows);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "partitioned-by-page | click_log | partitioned: slices of its pages would miss the rows of"
            + " its partitions",
        "parent-by-page      | view_log  | a parent in an inheritance hierarchy: slices of its"
            + " pages would miss the rows of its child tables",
      })
  void a_purge_by_page_of_a_partitioned_or_inheritance_parent_fails_and_deletes_nothing(
      String policy, String table, String why) {
    String rows = "SELECT count(*) FROM " + table;
    long before = orders.count(rows);
    long expired = orders.count(rows + " WHERE at < now() - interval '7 days'");

    ResultEvent end = purge(policy);

    assertThat(expired).as("the table has expired rows to purge").isPositive();
    assertThat(end.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(end.data().error().code()).isEqualTo("UNKNOWN_OBJECT");
    assertThat(end.data().error().message())
        .contains(
            "purge policy "
                + policy
                + " has batchBy: ctid, but table public."
                + table
                + " is "
                + why)
        .contains("use batchBy: key");
    assertThat(orders.count(rows)).isEqualTo(before);
  }

  @Test
  void a_policy_the_target_does_not_define_is_refused_and_the_defined_ones_are_named() {
    ResultEvent end = purge("everything");

    assertThat(end.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(end.data().error().code()).isEqualTo("UNKNOWN_POLICY");
    assertThat(end.data().error().message())
        .contains("has no purge policy 'everything'")
        .contains("archive-misfit, key-not-unique, no-primary-key, no-such-column");
  }

  @Test
  void a_policy_name_with_quotes_or_semicolons_is_rejected_before_any_sql() {
    String target = fleet.target("order_db");
    String hostile =
        """
        {"specversion": "1.0", "id": "hostile-purge-1", "source": "urn:test",
         "type": "io.pgfleet.command.purge.v1", "subject": "%s", "time": "2026-11-21T00:00:00Z",
         "data": {"policy": "x'; DROP TABLE outbox_events; --"}}
        """
            .formatted(target);
    fleet.sendRaw(fleet.topics.commands(target), hostile.getBytes(StandardCharsets.UTF_8));

    ResultEvent end = results.awaitTerminal("hostile-purge-1");

    assertThat(end.outcome()).isEqualTo(Outcome.REJECTED);
    assertThat(end.data().error().code()).isEqualTo("INVALID_COMMAND");
    assertThat(end.data().error().field()).isEqualTo("/data/policy");
    assertThat(orders.count("SELECT count(*) FROM outbox_events")).isEqualTo(outboxRows);
  }

  private static ResultEvent purge(String policy) {
    Command command = Commands.purge(fleet.target("order_db"), policy).build();
    fleet.publisher().publish(command).join();
    return results.awaitTerminal(command.id());
  }
}
