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
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Purges with {@code batchBy: ctid}: slices of pages, each its own short transaction. */
class PurgeByPageTest {
  private static Fleet fleet;
  private static ResultStream results;
  private static CommandPublisher publisher;
  private static Sql orders;

  @BeforeAll
  static void startFleet() {
    fleet = new Fleet("order_db");
    orders = new Sql(fleet.stack.postgres(), fleet.target("order_db"));
    results = fleet.results();
    publisher = fleet.publisher();
    fleet.startWorker(fleet.workerConfig("worker-pages", PurgeByPageTest::withPolicies));
  }

  @AfterAll
  static void stopFleet() throws Exception {
    fleet.close();
  }

  private static TargetConfig withPolicies(TargetConfig t) {
    return t.toBuilder()
        .purgePolicy(
            PurgePolicy.builder("outbox-by-page")
                .table("outbox_events")
                .timeColumn("processed_at")
                .olderThan(Duration.ofDays(7))
                .status("status", List.of("published"))
                .batchBy(PurgePolicy.BatchBy.CTID)
                .batchSize(500)
                .maxBatchSize(2_000)
                .pause(Duration.ofMillis(5))
                .sessions(2)
                .build())
        .purgePolicy(
            PurgePolicy.builder("failed-by-page")
                .table("outbox_events")
                .timeColumn("created_at")
                .olderThan(Duration.ofDays(30))
                .status("status", List.of("failed"))
                .archive(PurgePolicy.Archive.table("outbox_events_archive"))
                .batchBy(PurgePolicy.BatchBy.CTID)
                .batchSize(300)
                .build())
        .purgePolicy(
            PurgePolicy.builder("journal-defaults")
                .table("journal")
                .timeColumn("at")
                .olderThan(Duration.ofDays(7))
                .batchBy(PurgePolicy.BatchBy.CTID)
                .build())
        .purgePolicy(
            PurgePolicy.builder("keyless")
                .table("click_log")
                .timeColumn("at")
                .olderThan(Duration.ofDays(1))
                .batchBy(PurgePolicy.BatchBy.CTID)
                .batchSize(200)
                .maxBatchSize(1_000)
                .build())
        .purgePolicy(
            PurgePolicy.builder("impatient-by-page")
                .table("visit_log")
                .timeColumn("at")
                .olderThan(Duration.ofDays(7))
                .batchBy(PurgePolicy.BatchBy.CTID)
                .batchSize(100)
                .maxBatchSize(100)
                .pause(Duration.ZERO)
                .lockTimeout(Duration.ofMillis(100))
                .build())
        .build();
  }

  @Test
  void
      a_purge_by_page_in_two_sessions_deletes_exactly_the_expired_rows_while_rows_are_inserted_and_updated()
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
    List<String> live = new ArrayList<>(before);
    live.removeAll(expired);

    ResultEvent end;
    List<String> inserted;
    List<String> rescued;
    try (Inserter inserter = new Inserter(orders);
        Updater updater = new Updater(new ArrayList<>(expired), live)) {
      end = purge("outbox-by-page");
      inserter.close();
      updater.close();
      assertThat(inserter.failure()).isNull();
      assertThat(updater.failure.get()).isNull();
      inserted = inserter.ids();
      rescued = updater.rescued;
      assertThat(updater.touched).isPositive();
      assertThat(rescued).isNotEmpty();
    }

    assertThat(end.outcome()).as(end.toString()).isEqualTo(Outcome.SUCCEEDED);
    Map<String, Object> stats = end.data().statistics();
    assertThat(stats)
        .containsEntry("batchBy", "ctid")
        .containsEntry("sessions", 2)
        .containsEntry("rowsDeleted", expired.size() - rescued.size())
        .containsEntry("maintenance", "analyze");
    assertThat(PurgeTest.number(stats, "batches")).isGreaterThan(3);
    assertThat(PurgeTest.number(stats, "longestTransactionMs")).isLessThan(1_000);
    assertThat(inserted).isNotEmpty();
    // Every expired row is gone except those an UPDATE made young before its slice came; every
    // other row, old, inserted or updated meanwhile, is still there.
    Set<String> expected = new HashSet<>(before);
    expected.removeAll(expired);
    expected.addAll(rescued);
    expected.addAll(inserted);
    assertThat(new HashSet<>(orders.strings("SELECT id FROM outbox_events"))).isEqualTo(expected);
    assertThat(orders.strings(expiredRows)).isEmpty();
  }

  @Test
  void a_purge_by_page_moves_the_expired_rows_to_the_archive_table_whole() {
    orders.execute(
        "INSERT INTO outbox_events (aggregate_id, event_type, payload, status, created_at)"
            + " SELECT i, 'OrderShipped', jsonb_build_object('attempts', i % 7), 'failed',"
            + " now() - interval '45 days' - i * interval '1 minute'"
            + " FROM generate_series(1, 2000) AS i");
    String failedRows =
        "SELECT row_to_json(o)::text FROM %s o WHERE status = 'failed'"
            + " AND created_at < now() - interval '30 days' ORDER BY id";
    List<String> expired = orders.strings(failedRows.formatted("outbox_events"));
    long archivedBefore = orders.count("SELECT count(*) FROM outbox_events_archive");
    long others = orders.count("SELECT count(*) FROM outbox_events") - expired.size();

    ResultEvent end = purge("failed-by-page");

    assertThat(end.outcome()).as(end.toString()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(end.data().statistics())
        .containsEntry("rowsDeleted", expired.size())
        .containsEntry("rowsArchived", expired.size());
    assertThat(orders.strings(failedRows.formatted("outbox_events_archive"))).isEqualTo(expired);
    assertThat(orders.count("SELECT count(*) FROM outbox_events_archive") - archivedBefore)
        .isEqualTo(expired.size());
    assertThat(orders.count("SELECT count(*) FROM outbox_events")).isEqualTo(others);
  }

  @Test
  void a_table_without_any_unique_key_is_purged_by_page() {
    orders.execute(
        "CREATE TABLE click_log (url text NOT NULL, at timestamptz NOT NULL);"
            + " INSERT INTO click_log SELECT 'https://shop.example/' || (i % 50),"
            + " now() - (i % 4) * interval '1 day' - interval '1 hour'"
            + " FROM generate_series(1, 20000) AS i;"
            + " DO $$ BEGIN EXECUTE format('ALTER TABLE click_log OWNER TO %I',"
            + " (SELECT pg_get_userbyid(datdba) FROM pg_database"
            + " WHERE datname = current_database())); END $$");
    long young =
        orders.count("SELECT count(*) FROM click_log WHERE at >= now() - interval '1 day'");
    long old = 20_000 - young;

    ResultEvent end = purge("keyless");

    assertThat(end.outcome()).as(end.toString()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(end.data().statistics()).containsEntry("rowsDeleted", (int) old);
    assertThat(PurgeTest.number(end.data().statistics(), "batches")).isGreaterThan(1);
    assertThat(orders.count("SELECT count(*) FROM click_log")).isEqualTo(young);
    assertThat(orders.count("SELECT count(*) FROM click_log WHERE at < now() - interval '1 day'"))
        .isZero();
  }

  @Test
  void
      at_the_default_batch_settings_slices_jump_from_the_probe_to_the_time_budget_and_delete_exactly_the_expired_rows() {
    orders.execute(
        "CREATE TABLE journal (id bigint NOT NULL, at timestamptz NOT NULL, note text);"
            + " INSERT INTO journal SELECT i, now() - CASE WHEN i % 16 = 0 THEN interval '1 day'"
            + " ELSE interval '30 days' END, 'entry ' || i FROM generate_series(1, 320000) AS i;"
            + " ANALYZE journal;"
            + " DO $$ BEGIN EXECUTE format('ALTER TABLE journal OWNER TO %I',"
            + " (SELECT pg_get_userbyid(datdba) FROM pg_database"
            + " WHERE datname = current_database())); END $$");
    String expiredRows = "SELECT count(*) FROM journal WHERE at < now() - interval '7 days'";
    long expired = orders.count(expiredRows);
    assertThat(expired).isEqualTo(300_000);

    ResultEvent end = purge("journal-defaults");

    assertThat(end.outcome()).as(end.toString()).isEqualTo(Outcome.SUCCEEDED);
    Map<String, Object> stats = end.data().statistics();
    assertThat(stats)
        .containsEntry("rowsDeleted", (int) expired)
        .containsEntry("pauses", 0)
        .containsEntry("sessions", 1);
    // Doubling from the probe's 1,000 rows would take 9 slices to cover 320,000 rows; sized from
    // the time budget, the slices after the probe take about batchTime (200 ms) each.
    assertThat(PurgeTest.number(stats, "batches")).as(stats.toString()).isBetween(2L, 6L);
    assertThat(PurgeTest.number(stats, "longestTransactionMs")).isLessThan(1_000);
    assertThat(orders.count(expiredRows)).isZero();
    assertThat(orders.count("SELECT count(*) FROM journal WHERE id % 16 = 0")).isEqualTo(20_000);
    assertThat(orders.count("SELECT count(*) FROM journal")).isEqualTo(20_000);
  }

  @Test
  void a_purge_by_page_that_cannot_get_its_locks_says_a_resend_passes_over_the_table_again()
      throws Exception {
    orders.execute(
        "CREATE TABLE visit_log (id bigint NOT NULL, at timestamptz NOT NULL);"
            + " INSERT INTO visit_log SELECT i, now() - interval '30 days'"
            + " FROM generate_series(1, 2000) AS i;"
            + " ANALYZE visit_log;"
            + " DO $$ BEGIN EXECUTE format('ALTER TABLE visit_log OWNER TO %I',"
            + " (SELECT pg_get_userbyid(datdba) FROM pg_database"
            + " WHERE datname = current_database())); END $$");

    ResultEvent failed;
    try (Connection c = orders.connect();
        Statement st = c.createStatement()) {
      c.setAutoCommit(false);
      st.execute("SELECT * FROM visit_log WHERE id = 1500 FOR UPDATE");
      failed = purge("impatient-by-page");
      c.rollback();
    }

    assertThat(failed.outcome()).as(failed.toString()).isEqualTo(Outcome.FAILED);
    assertThat(failed.data().error().code()).isEqualTo("LOCK_TIMEOUT");
    assertThat(failed.data().error().retryable()).isTrue();
    assertThat(failed.data().error().message())
        .contains("public.visit_log")
        .contains("send the purge again later and it passes over the table again")
        .doesNotContain("continues where it stopped");

    ResultEvent resent = purge("impatient-by-page");

    assertThat(resent.outcome()).as(resent.toString()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(orders.count("SELECT count(*) FROM visit_log")).isZero();
  }

  private static ResultEvent purge(String policy) {
    Command command = Commands.purge(fleet.target("order_db"), policy).source("urn:test").build();
    publisher.publish(command).join();
    return results.awaitTerminal(command.id());
  }

  /**
   * Another service updating rows while the purge runs: it makes expired rows young again
   * (remembering those it reached before the purge deleted them) and rewrites live rows, which
   * moves their new versions to other pages.
   */
  private static final class Updater implements AutoCloseable {
    final List<String> rescued = new CopyOnWriteArrayList<>();
    final AtomicReference<Exception> failure = new AtomicReference<>();
    volatile int touched;
    private final Thread thread;
    private volatile boolean stopped;

    Updater(List<String> expired, List<String> live) {
      Collections.shuffle(expired, new Random(7));
      thread =
          new Thread(
              () -> {
                try (Connection c = orders.connect();
                    PreparedStatement rescue =
                        c.prepareStatement(
                            "UPDATE outbox_events SET processed_at = now() WHERE id = ?");
                    PreparedStatement rewrite =
                        c.prepareStatement(
                            "UPDATE outbox_events SET payload = payload || '{\"touched\": true}'"
                                + " WHERE id = ?")) {
                  for (int i = 0; !stopped && i < expired.size(); i++) {
                    if (i % 3 == 0) {
                      rescue.setLong(1, Long.parseLong(expired.get(i)));
                      if (rescue.executeUpdate() == 1) {
                        rescued.add(expired.get(i));
                      }
                    }
                    rewrite.setLong(1, Long.parseLong(live.get(i % live.size())));
                    touched += rewrite.executeUpdate();
                    Thread.sleep(1);
                  }
                } catch (Exception e) {
                  failure.set(e);
                }
              },
              "test-updater");
      thread.start();
    }

    @Override
    public void close() throws InterruptedException {
      stopped = true;
      thread.join(10_000);
    }
  }
}
