package io.pgfleet.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgfleet.commands.Command;
import io.pgfleet.commands.Commands;
import io.pgfleet.commands.publish.CommandPublisher;
import io.pgfleet.commands.result.Outcome;
import io.pgfleet.commands.result.ResultEvent;
import io.pgfleet.worker.config.PurgePolicy;
import io.pgfleet.worker.config.TargetConfig;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Retention purges on real PostgreSQL: exactly the expired rows go, in short transactions. */
class PurgeTest {
  private static Fleet fleet;
  private static ResultStream results;
  private static CommandPublisher publisher;
  private static Sql orders;
  private static Sql payments;

  @BeforeAll
  static void startFleet() {
    fleet = new Fleet("order_db", "payment_db");
    orders = new Sql(fleet.stack.postgres(), fleet.target("order_db"));
    payments = new Sql(fleet.stack.postgres(), fleet.target("payment_db"));
    results = fleet.results();
    publisher = fleet.publisher();
    fleet.startWorker(fleet.workerConfig("worker-p", PurgeTest::withPolicies));
  }

  @AfterAll
  static void stopFleet() throws Exception {
    fleet.close();
  }

  private static TargetConfig withPolicies(TargetConfig t) {
    TargetConfig.Builder b = t.toBuilder();
    if (t.name().equals(fleet.target("order_db"))) {
      b.purgePolicy(
              PurgePolicy.builder("outbox-published")
                  .table("outbox_events")
                  .timeColumn("processed_at")
                  .olderThan(Duration.ofDays(7))
                  .status("status", List.of("published"))
                  .batchSize(500)
                  .maxBatchSize(2_000)
                  .pause(Duration.ofMillis(5))
                  .build())
          .purgePolicy(
              PurgePolicy.builder("outbox-failed")
                  .table("outbox_events")
                  .timeColumn("created_at")
                  .olderThan(Duration.ofDays(30))
                  .status("status", List.of("failed"))
                  .archive(PurgePolicy.Archive.table("outbox_events_archive"))
                  .batchSize(300)
                  .build())
          .purgePolicy(
              PurgePolicy.builder("idempotency-impatient")
                  .table("event_idempotency")
                  .timeColumn("created_at")
                  .olderThan(Duration.ofDays(14))
                  .batchSize(50)
                  .maxBatchSize(50)
                  .pause(Duration.ZERO)
                  .lockTimeout(Duration.ofMillis(100))
                  .build())
          .purgePolicy(
              PurgePolicy.builder("slow-statement")
                  .table("slow_log")
                  .timeColumn("at")
                  .olderThan(Duration.ofDays(7))
                  .statementTimeout(Duration.ofSeconds(1))
                  .build());
    } else {
      b.purgePolicy(
          PurgePolicy.builder("idempotency")
              .table("event_idempotency")
              .timeColumn("created_at")
              .olderThan(Duration.ofDays(14))
              .batchSize(100)
              .build());
    }
    return b.build();
  }

  @Test
  void a_purge_deletes_exactly_the_expired_rows_in_short_transactions_while_inserts_go_on()
      throws Exception {
    orders.execute(
        "INSERT INTO outbox_events (aggregate_id, event_type, payload, status, created_at,"
            + " processed_at) SELECT i, 'OrderPaid', jsonb_build_object('seq', i), 'published',"
            + " now() - interval '20 days' - i * interval '1 second',"
            + " now() - interval '20 days' - i * interval '1 second'"
            + " FROM generate_series(1, 30000) AS i");
    String expiredRows =
        "SELECT id FROM outbox_events WHERE status = 'published'"
            + " AND processed_at < now() - interval '7 days'";
    Set<String> expired = new HashSet<>(orders.strings(expiredRows));
    Set<String> before = new HashSet<>(orders.strings("SELECT id FROM outbox_events"));
    Instant start = Instant.now();

    ResultEvent end;
    List<String> inserted;
    try (Inserter inserter = new Inserter(orders)) {
      end = purge("order_db", "outbox-published");
      inserter.close();
      assertThat(inserter.failure()).isNull();
      inserted = inserter.ids();
    }

    assertThat(end.outcome()).as(end.toString()).isEqualTo(Outcome.SUCCEEDED);
    Map<String, Object> stats = end.data().statistics();
    assertThat(stats)
        .containsEntry("rowsDeleted", expired.size())
        .containsEntry("rowsArchived", 0)
        .containsEntry("archive", "none")
        .containsEntry("table", "public.outbox_events")
        .containsEntry("maintenance", "analyze");
    assertThat(number(stats, "largestBatchRows")).isLessThanOrEqualTo(2_000);
    assertThat(number(stats, "batches")).isGreaterThanOrEqualTo(expired.size() / 2_000);
    // The purge's own measurement of each transaction, from its first statement to its commit.
    assertThat(number(stats, "longestTransactionMs")).isLessThan(1_000);
    assertThat(number(stats, "totalMs")).isGreaterThanOrEqualTo(number(stats, "purgeMs"));

    assertThat(inserted).isNotEmpty();
    Set<String> expected = new HashSet<>(before);
    expected.removeAll(expired);
    expected.addAll(inserted);
    assertThat(new HashSet<>(orders.strings("SELECT id FROM outbox_events"))).isEqualTo(expected);
    assertThat(
            orders.count(
                "SELECT count(*) FROM pg_stat_user_tables WHERE relname = 'outbox_events'"
                    + " AND last_analyze >= '"
                    + start
                    + "'"))
        .isEqualTo(1);
  }

  @Test
  void archived_rows_move_to_the_archive_table_whole_and_leave_the_source() {
    orders.execute(
        "INSERT INTO outbox_events (aggregate_id, event_type, payload, status, created_at)"
            + " SELECT i, 'OrderShipped', jsonb_build_object('attempts', i % 7), 'failed',"
            + " now() - interval '45 days' - i * interval '1 minute'"
            + " FROM generate_series(1, 2000) AS i");
    String failedRows =
        "SELECT row_to_json(o)::text FROM %s o WHERE status = 'failed'"
            + " AND created_at < now() - interval '30 days' ORDER BY id";
    List<String> expired = orders.strings(failedRows.formatted("outbox_events"));
    long others = orders.count("SELECT count(*) FROM outbox_events") - expired.size();

    ResultEvent end = purge("order_db", "outbox-failed");

    assertThat(end.outcome()).as(end.toString()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(end.data().statistics())
        .containsEntry("rowsDeleted", expired.size())
        .containsEntry("rowsArchived", expired.size())
        .containsEntry("archive", "table public.outbox_events_archive");
    assertThat(orders.strings(failedRows.formatted("outbox_events_archive"))).isEqualTo(expired);
    assertThat(orders.strings(failedRows.formatted("outbox_events"))).isEmpty();
    assertThat(orders.count("SELECT count(*) FROM outbox_events")).isEqualTo(others);
  }

  @Test
  void text_keys_batch_as_well_as_numbers() {
    Set<String> all = new HashSet<>(payments.strings("SELECT key FROM event_idempotency"));
    Set<String> expired =
        new HashSet<>(
            payments.strings(
                "SELECT key FROM event_idempotency WHERE created_at < now() - interval '14 days'"));

    ResultEvent end = purge("payment_db", "idempotency");

    assertThat(end.outcome()).as(end.toString()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(end.data().statistics()).containsEntry("rowsDeleted", expired.size());
    assertThat(number(end.data().statistics(), "batches")).isGreaterThan(1);
    all.removeAll(expired);
    assertThat(new HashSet<>(payments.strings("SELECT key FROM event_idempotency"))).isEqualTo(all);
  }

  @Test
  void a_purge_that_cannot_get_its_locks_fails_retryable_and_a_resend_continues_where_it_stopped()
      throws Exception {
    String expiredKeys =
        "SELECT key FROM event_idempotency WHERE created_at < now() - interval '14 days'";
    Set<String> expired = new HashSet<>(orders.strings(expiredKeys));
    String keep =
        "SELECT key FROM event_idempotency WHERE created_at >= now() - interval '14 days'";
    Set<String> kept = new HashSet<>(orders.strings(keep));
    String locked = orders.strings(expiredKeys + " ORDER BY key OFFSET 500 LIMIT 1").get(0);

    ResultEvent failed;
    try (Connection c = orders.connect();
        Statement st = c.createStatement()) {
      c.setAutoCommit(false);
      st.execute("SELECT * FROM event_idempotency WHERE key = '" + locked + "' FOR UPDATE");
      failed = purge("order_db", "idempotency-impatient");
      c.rollback();
    }

    assertThat(failed.outcome()).as(failed.toString()).isEqualTo(Outcome.FAILED);
    assertThat(failed.data().error().code()).isEqualTo("LOCK_TIMEOUT");
    assertThat(failed.data().error().retryable()).isTrue();
    assertThat(failed.data().error().message())
        .contains("public.event_idempotency")
        .contains("continues where it stopped");
    // Batches before the locked row committed; the one holding it rolled back.
    long left = orders.strings(expiredKeys).size();
    assertThat(left).isBetween(expired.size() - 500L, expired.size() - 1L);

    ResultEvent resent = purge("order_db", "idempotency-impatient");

    assertThat(resent.outcome()).as(resent.toString()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(resent.data().statistics()).containsEntry("rowsDeleted", (int) left);
    assertThat(orders.strings(expiredKeys)).isEmpty();
    assertThat(new HashSet<>(orders.strings("SELECT key FROM event_idempotency"))).isEqualTo(kept);
  }

  @Test
  void a_batch_past_the_statement_timeout_fails_with_the_settings_to_change_and_deletes_nothing() {
    orders.execute(
        "CREATE TABLE slow_log (id bigint PRIMARY KEY, at timestamptz NOT NULL);"
            + " INSERT INTO slow_log SELECT i, now() - i * interval '1 day'"
            + " FROM generate_series(1, 100) AS i;"
            + " CREATE FUNCTION slow_log_delay() RETURNS trigger LANGUAGE plpgsql AS"
            + " $$ BEGIN PERFORM pg_sleep(3); RETURN NULL; END $$;"
            + " CREATE TRIGGER slow_log_delay BEFORE DELETE ON slow_log"
            + " FOR EACH STATEMENT EXECUTE FUNCTION slow_log_delay();"
            + " DO $$ BEGIN EXECUTE format('ALTER TABLE slow_log OWNER TO %I',"
            + " (SELECT pg_get_userbyid(datdba) FROM pg_database"
            + " WHERE datname = current_database())); END $$");

    ResultEvent end = purge("order_db", "slow-statement");

    assertThat(end.outcome()).as(end.toString()).isEqualTo(Outcome.FAILED);
    assertThat(end.data().error().code()).isEqualTo("STATEMENT_TIMEOUT");
    assertThat(end.data().error().retryable()).isFalse();
    assertThat(end.data().error().message())
        .contains(
            "a statement of purge slow-statement on public.slow_log was cancelled by the server")
        .contains("If it ran longer than the policy's statementTimeout (1s)")
        .contains("lower the policy's batchTime, or its batchSize and maxBatchSize")
        .contains("raise its statementTimeout");
    assertThat(orders.count("SELECT count(*) FROM slow_log")).isEqualTo(100);
  }

  private static ResultEvent purge(String sample, String policy) {
    Command command = Commands.purge(fleet.target(sample), policy).source("urn:test").build();
    publisher.publish(command).join();
    return results.awaitTerminal(command.id());
  }

  static long number(Map<String, Object> stats, String name) {
    return ((Number) stats.get(name)).longValue();
  }
}
