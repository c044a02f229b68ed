package io.pgfleet.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgfleet.commands.Command;
import io.pgfleet.commands.Commands;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.ReindexParams;
import io.pgfleet.commands.publish.CommandPublisher;
import io.pgfleet.commands.result.Outcome;
import io.pgfleet.commands.result.ResultEvent;
import io.pgfleet.worker.config.MaintenanceSettings;
import io.pgfleet.worker.config.Timeouts;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** REINDEX on a real database: indexes rebuilt and valid, leftovers found and dropped, refusals. */
class ReindexTest {
  private static Fleet fleet;
  private static ResultStream results;
  private static CommandPublisher publisher;
  private static TargetSessions orders;
  private static String orderDb;
  private static String paymentDb;

  @BeforeAll
  static void startFleet() {
    fleet = new Fleet("order_db", "payment_db");
    orderDb = fleet.target("order_db");
    paymentDb = fleet.target("payment_db");
    orders = new TargetSessions(fleet, "order_db");
    // No TOAST table: only the table's owner works here, and pg_toast is a superuser's to clean.
    orders.execute(
        "CREATE TABLE counters (id int PRIMARY KEY, n bigint NOT NULL);"
            + " CREATE INDEX counters_n ON counters (n); INSERT INTO counters VALUES (1, 0);"
            + " ALTER TABLE counters OWNER TO "
            + orders.owner());
    results = fleet.results();
    publisher = fleet.publisher();
    MaintenanceSettings permissive =
        new MaintenanceSettings(
            false,
            true,
            false,
            Map.of(Operation.REINDEX, new Timeouts(null, Duration.ofSeconds(2))),
            Map.of());
    fleet.startWorker(
        fleet.workerConfig(
            "worker-r",
            t -> t.name().equals(orderDb) ? t.toBuilder().maintenance(permissive).build() : t));
  }

  @AfterAll
  static void stopFleet() throws Exception {
    orders.close();
    fleet.close();
  }

  @Test
  void reindex_of_an_index_rebuilds_it_concurrently_and_it_stays_valid() throws Exception {
    long fileBefore = orders.number("SELECT pg_relation_filenode('orders_pkey')");

    ResultEvent end = run(orderDb, ReindexParams.index("orders_pkey"));

    assertThat(end.outcome()).as(end.toString()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(orders.number("SELECT pg_relation_filenode('orders_pkey')"))
        .isNotEqualTo(fileBefore);
    assertThat(valid("orders_pkey")).isTrue();
    assertThat(end.data().statistics())
        .containsEntry("scope", "index public.orders_pkey")
        .containsEntry("concurrently", true)
        .containsEntry("indexesRebuilt", 1)
        .containsEntry("rebuilt", List.of("public.orders_pkey"))
        .containsEntry("invalidBefore", List.of())
        .containsEntry("invalidAfter", List.of());
  }

  @Test
  void a_leftover_of_a_failed_concurrent_rebuild_is_reported_and_dropped_with_drop_invalid()
      throws Exception {
    leaveLeftoverOf("order_items_order");
    String leftover = "public.order_items_order_ccnew";

    ResultEvent reported = run(orderDb, ReindexParams.table("order_items"));

    assertThat(reported.outcome()).as(reported.toString()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(reported.data().statistics())
        .containsEntry("invalidBefore", List.of(leftover))
        .containsEntry("invalidAfter", List.of(leftover))
        .containsEntry("droppedLeftovers", List.of());
    assertThat(reported.data().statistics().get("skipped").toString())
        .contains("cannot reindex invalid index \"" + leftover + "\" concurrently");

    ResultEvent dropped = run(orderDb, new ReindexParams(null, "order_items", null, null, true));

    assertThat(dropped.outcome()).as(dropped.toString()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(dropped.data().statistics())
        .containsEntry("invalidBefore", List.of(leftover))
        .containsEntry("droppedLeftovers", List.of(leftover))
        .containsEntry("invalidAfter", List.of());
    assertThat(
            orders.number(
                "SELECT count(*) FROM pg_class WHERE relname LIKE 'order_items_order_cc%'"))
        .isZero();
    assertThat(valid("order_items_order")).isTrue();
  }

  @Test
  void a_rebuild_that_times_out_is_retried_once_after_dropping_what_it_left() throws Exception {
    try (Connection writer = orders.asOwner("test-writer");
        Statement st = writer.createStatement()) {
      writer.setAutoCommit(false);
      st.execute("INSERT INTO counters VALUES (2, 0)");
      Command command = command(orderDb, new ReindexParams(null, "counters", null, null, true));
      publisher.publish(command).join();

      // The first attempt waits for the open transaction and hits the 2s lock timeout; dropping
      // its leftovers waits for that transaction too, and the writer commits meanwhile: the
      // second attempt gets through.
      waitingFor("REINDEX%");
      waitingFor("DROP INDEX CONCURRENTLY%");
      writer.commit();
      ResultEvent end = results.awaitTerminal(command.id());

      assertThat(end.outcome()).as(end.toString()).isEqualTo(Outcome.SUCCEEDED);
      assertThat(end.data().statistics())
          .containsEntry("attempts", 2)
          .containsEntry("invalidAfter", List.of());
      assertThat((List<?>) end.data().statistics().get("droppedLeftovers")).isNotEmpty();
      assertThat(orders.number("SELECT count(*) FROM pg_class WHERE relname LIKE 'counters%_cc%'"))
          .isZero();
    }
  }

  @Test
  void a_blocking_rebuild_needs_the_targets_permission() throws Exception {
    ReindexParams blocking = new ReindexParams(null, "payments", null, false, null);

    ResultEvent refused = run(paymentDb, blocking);
    ResultEvent allowed = run(orderDb, new ReindexParams(null, "orders", null, false, null));

    assertThat(refused.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(refused.data().error().code()).isEqualTo("OPERATION_NOT_ALLOWED");
    assertThat(refused.data().error().message())
        .contains("targets." + paymentDb + ".allow.blockingReindex: true");
    assertThat(allowed.outcome()).as(allowed.toString()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(allowed.data().statistics()).containsEntry("concurrently", false);
  }

  @Test
  void an_unknown_index_fails_clearly_and_a_table_named_as_an_index_says_so() {
    ResultEvent unknown = run(orderDb, ReindexParams.index("no_such_index"));
    ResultEvent table = run(orderDb, ReindexParams.index("orders"));

    assertThat(unknown.data().error().code()).isEqualTo("UNKNOWN_OBJECT");
    assertThat(unknown.data().error().message())
        .isEqualTo("index public.no_such_index does not exist in " + orderDb);
    assertThat(table.data().error().message()).endsWith("it is a table, send table instead");
  }

  @Test
  void reindex_of_the_whole_database_rebuilds_every_user_index() throws Exception {
    long userIndexes =
        fleetNumber(
            paymentDb,
            "SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
                + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'");

    ResultEvent end = run(paymentDb, ReindexParams.wholeDatabase());

    assertThat(end.outcome()).as(end.toString()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(end.data().statistics()).containsEntry("scope", "database " + paymentDb);
    assertThat((Integer) end.data().statistics().get("indexesRebuilt"))
        .isGreaterThanOrEqualTo((int) userIndexes);
  }

  /** Makes a REINDEX CONCURRENTLY fail half-way, the way a timeout does in production. */
  private static void leaveLeftoverOf(String index) throws SQLException {
    try (Connection writer = orders.asOwner("test-writer");
        Connection dba = orders.asOwner("test-dba");
        Statement w = writer.createStatement();
        Statement d = dba.createStatement()) {
      writer.setAutoCommit(false);
      w.execute(
          "INSERT INTO order_items (order_id, sku, quantity, price_cents) VALUES (1, 'x', 1, 1)");
      d.execute("SET statement_timeout = '1s'");
      try {
        d.execute("REINDEX INDEX CONCURRENTLY " + index);
      } catch (SQLException expected) {
        // canceling statement due to statement timeout: the _ccnew copy stays, invalid
      }
      writer.rollback();
    }
    assertThat(valid(index + "_ccnew")).isFalse();
  }

  /** Waits until the worker's session waits for a lock in a statement like {@code pattern}. */
  private static void waitingFor(String pattern) {
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(20))
        .until(
            () ->
                orders.number(
                    "SELECT count(*) FROM pg_stat_activity WHERE application_name ="
                        + " 'pgfleet-reindex' AND wait_event_type = 'Lock' AND query LIKE '"
                        + pattern
                        + "'"),
            n -> n == 1);
  }

  private static boolean valid(String index) throws SQLException {
    return (Boolean)
        orders.query(
            "SELECT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
                + " WHERE c.relname = '"
                + index
                + "'");
  }

  private static long fleetNumber(String database, String sql) throws SQLException {
    try (Connection c = fleet.stack.postgres().connect(database);
        Statement st = c.createStatement();
        var rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static Command command(String target, ReindexParams params) {
    return Commands.of(Operation.REINDEX, target, params).source("urn:test:reindex").build();
  }

  private static ResultEvent run(String target, ReindexParams params) {
    Command command = command(target, params);
    publisher.publish(command).join();
    return results.awaitTerminal(command.id());
  }
}
