package io.pgfleet.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgfleet.commands.Command;
import io.pgfleet.commands.Commands;
import io.pgfleet.commands.HealthCheckParams;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.publish.CommandPublisher;
import io.pgfleet.commands.result.Finding;
import io.pgfleet.commands.result.Finding.Status;
import io.pgfleet.commands.result.Outcome;
import io.pgfleet.commands.result.ResultEvent;
import io.pgfleet.commands.wire.ResultCodec;
import io.pgfleet.worker.config.HealthLimit;
import io.pgfleet.worker.config.MaintenanceSettings;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The health checklist on a real database with real problems in it. */
class HealthCheckTest {
  private static Fleet fleet;
  private static ResultStream results;
  private static CommandPublisher publisher;
  private static TargetSessions orders;
  private static TargetSessions payments;
  private static String orderDb;
  private static String slot;

  @BeforeAll
  static void startFleet() throws Exception {
    fleet = new Fleet("order_db", "payment_db");
    orderDb = fleet.target("order_db");
    slot = fleet.id + "_standby";
    orders = new TargetSessions(fleet, "order_db");
    payments = new TargetSessions(fleet, "payment_db");
    try (Connection c = orders.asOwner("test-setup");
        Statement st = c.createStatement()) {
      st.execute(
          "CREATE TABLE health_dead (id int PRIMARY KEY, v text) WITH (autovacuum_enabled = false);"
              + " INSERT INTO health_dead SELECT i, 'x' FROM generate_series(1, 4000) i;"
              + " DELETE FROM health_dead WHERE id > 1000;"
              // an integer key fed by a bigint sequence: the column runs out at 2^31
              + " CREATE SEQUENCE ticket_ids AS bigint;"
              + " CREATE TABLE tickets (id int PRIMARY KEY DEFAULT nextval('ticket_ids'), note text);"
              + " SELECT setval('ticket_ids', 2000000000);"
              + " CREATE INDEX orders_customer_a ON orders (customer_id);"
              + " CREATE INDEX orders_customer_b ON orders (customer_id);");
    }
    leaveInvalidIndex();
    orders.execute("SELECT pg_create_physical_replication_slot('" + slot + "', true)");
    results = fleet.results();
    publisher = fleet.publisher();
    MaintenanceSettings thresholds =
        new MaintenanceSettings(
            false,
            false,
            false,
            Map.of(),
            Map.of(
                HealthLimit.BLOCKING_LOCKS, new HealthLimit.Level(1.0, 600.0),
                HealthLimit.IDLE_IN_TRANSACTION, new HealthLimit.Level(1.0, null),
                HealthLimit.UNUSED_INDEXES, new HealthLimit.Level(1.0, null)));
    fleet.startWorker(
        fleet.workerConfig("worker-h", t -> t.toBuilder().maintenance(thresholds).build()));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                orders.number(
                        "SELECT n_dead_tup FROM pg_stat_user_tables WHERE relname = 'health_dead'")
                    == 3000);
  }

  @AfterAll
  static void stopFleet() throws Exception {
    orders.execute("SELECT pg_drop_replication_slot('" + slot + "')");
    orders.close();
    payments.close();
    fleet.close();
  }

  @Test
  void a_blocked_session_is_reported_with_its_blocker_and_every_check_has_a_finding()
      throws Exception {
    try (Connection blocker = orders.asOwner("test-blocker");
        Connection blocked = orders.asOwner("test-blocked");
        Statement st = blocker.createStatement()) {
      blocker.setAutoCommit(false);
      st.execute("UPDATE orders SET status = 'held' WHERE id = 1");
      CompletableFuture<SQLException> waiting =
          TargetSessions.inBackground(blocked, "UPDATE orders SET status = 'late' WHERE id = 1");
      int blockerPid = TargetSessions.pid(blocker);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  orders.number(
                          "SELECT count(*) FROM pg_locks WHERE NOT granted"
                              + " AND waitstart < now() - interval '1.5 seconds'")
                      == 1);

      ResultEvent end = run(orderDb);
      blocker.rollback();
      assertThat((Object) waiting.get()).isNull();

      assertThat(end.outcome()).as(end.toString()).isEqualTo(Outcome.SUCCEEDED);
      List<Finding> findings = end.data().findings();
      assertThat(findings)
          .extracting(Finding::check)
          .containsExactly(
              "database-size",
              "database-growth",
              "connections",
              "long-running-queries",
              "idle-in-transaction",
              "blocking-locks",
              "dead-tuples",
              "stale-analyze",
              "stale-vacuum",
              "wraparound",
              "sequence-exhaustion",
              "invalid-indexes",
              "unused-indexes",
              "duplicate-indexes",
              "index-bloat",
              "table-size",
              "prepared-transactions",
              "replication-lag",
              "replication-slots",
              "slow-statements",
              "wal-size",
              "archiver",
              "slot-retained-wal",
              "disk-space",
              "security",
              "autovacuum-tuning");

      Finding blocking = finding(end, "blocking-locks");
      assertThat(blocking.status()).isEqualTo(Status.WARNING);
      assertThat(blocking.thresholds().warning().intValue()).isEqualTo(1);
      assertThat(blocking.items()).hasSize(1);
      Map<String, Object> chain = blocking.items().get(0);
      assertThat(chain)
          .containsEntry("application", "test-blocked")
          .containsEntry("blockedBy", List.of(blockerPid));
      assertThat(chain.get("query").toString())
          .isEqualTo("UPDATE orders SET status = '?' WHERE id = 1");
      assertThat(chain.get("blockers").toString())
          .contains("pid=" + blockerPid)
          .contains("state=idle in transaction");
      assertThat(blocking.message()).contains("root blocker(s): [pid " + blockerPid);

      assertThat(finding(end, "idle-in-transaction").items())
          .anySatisfy(i -> assertThat(i).containsEntry("pid", blockerPid));
      assertThat(finding(end, "idle-in-transaction").status()).isEqualTo(Status.WARNING);
    }
  }

  @Test
  void table_sequence_index_and_slot_problems_are_found_with_values_and_thresholds()
      throws Exception {
    ResultEvent end = run(orderDb);

    assertThat(end.outcome()).as(end.toString()).isEqualTo(Outcome.SUCCEEDED);
    Finding dead = finding(end, "dead-tuples");
    assertThat(dead.status()).isEqualTo(Status.CRITICAL);
    assertThat(dead.value().intValue()).isEqualTo(75);
    assertThat(dead.unit()).isEqualTo("percent");
    assertThat(dead.thresholds()).hasToString("Thresholds[warning=20, critical=50]");
    assertThat(dead.items().get(0)).containsEntry("table", "public.health_dead");

    assertThat(finding(end, "stale-vacuum").items())
        .anySatisfy(
            i ->
                assertThat(i)
                    .containsEntry("table", "public.health_dead")
                    .containsEntry("never", true));
    assertThat(finding(end, "stale-analyze").status()).isEqualTo(Status.WARNING);

    Finding sequences = finding(end, "sequence-exhaustion");
    assertThat(sequences.status()).isEqualTo(Status.CRITICAL);
    assertThat(sequences.items().get(0))
        .containsEntry("sequence", "public.ticket_ids")
        .containsEntry("type", "bigint")
        .containsEntry("column", "public.tickets.id")
        .containsEntry("columnType", "integer")
        .containsEntry("limit", Integer.MAX_VALUE);
    assertThat(sequences.message()).contains("ALTER the column to bigint");

    Finding invalid = finding(end, "invalid-indexes");
    assertThat(invalid.status()).isEqualTo(Status.WARNING);
    assertThat(invalid.items().get(0))
        .containsEntry("index", "public.order_items_order_ccnew")
        .containsEntry("leftoverOfConcurrentRebuild", true);

    Finding duplicates = finding(end, "duplicate-indexes");
    assertThat(duplicates.value().intValue()).isEqualTo(1);
    assertThat(duplicates.items().get(0))
        .containsEntry("table", "public.orders")
        .containsEntry("indexes", List.of("orders_customer_a", "orders_customer_b"));
    assertThat(finding(end, "unused-indexes").items())
        .extracting(i -> i.get("index"))
        .contains("public.orders_customer_a", "public.orders_customer_b");

    Finding slots = finding(end, "replication-slots");
    assertThat(slots.status()).isEqualTo(Status.WARNING);
    assertThat(slots.items()).anySatisfy(i -> assertThat(i).containsEntry("slot", slot));

    assertThat(finding(end, "connections").status()).isEqualTo(Status.OK);
    assertThat(finding(end, "connections").thresholds())
        .hasToString("Thresholds[warning=80, critical=95]");
    assertThat(finding(end, "wraparound").status()).isEqualTo(Status.OK);
    assertThat(finding(end, "slow-statements").status()).isEqualTo(Status.UNKNOWN);
    assertThat(finding(end, "slow-statements").message())
        .startsWith("pg_stat_statements is not installed in this database");
    assertThat(end.data().statistics()).containsEntry("status", "critical");
    ResultCodec codec = new ResultCodec();
    assertThat(results.records()).allSatisfy(r -> assertThat(codec.violation(r.value())).isEmpty());
  }

  @Test
  void growth_is_measured_from_the_last_check_and_a_check_that_cannot_run_says_why()
      throws Exception {
    String paymentDb = fleet.target("payment_db");
    ResultEvent first = run(paymentDb);
    payments.execute(
        "CREATE TABLE ledger_lines AS SELECT i, repeat('z', 500) AS v FROM generate_series(1, 20000) i;"
            + " CREATE EXTENSION pg_stat_statements;"
            + " REVOKE SELECT ON pg_stat_statements FROM PUBLIC");

    ResultEvent second = run(paymentDb);

    assertThat(finding(first, "database-growth").message()).startsWith("no earlier health check");
    assertThat(finding(first, "database-growth").value()).isNull();
    Finding growth = finding(second, "database-growth");
    assertThat(growth.value().doubleValue()).isPositive();
    assertThat(growth.items().get(0))
        .containsEntry("previousBytes", first.data().statistics().get("databaseBytes"))
        .containsEntry("bytes", second.data().statistics().get("databaseBytes"));
    assertThat(growth.message()).contains("since the last check");

    // Installed, but the target's user may not read the view: the run goes on.
    Finding statements = finding(second, "slow-statements");
    assertThat(statements.status()).isEqualTo(Status.UNKNOWN);
    assertThat(statements.message()).startsWith("could not run: ").contains("permission denied");
    assertThat(second.outcome()).isEqualTo(Outcome.SUCCEEDED);
  }

  @Test
  void only_the_checks_asked_for_are_run() {
    Command command =
        Commands.of(
                Operation.HEALTH_CHECK,
                orderDb,
                new HealthCheckParams(List.of("connections", "wraparound")))
            .build();
    publisher.publish(command).join();
    ResultEvent end = results.awaitTerminal(command.id());

    assertThat(end.data().findings())
        .extracting(Finding::check)
        .containsExactly("connections", "wraparound");
  }

  @Test
  void connections_are_broken_down_by_user_and_application_with_their_states() throws Exception {
    try (TargetSessions pool = new TargetSessions(fleet, "order_db")) {
      Connection busy = pool.asOwner("pool-review-app");
      pool.asOwner("pool-review-app");
      Connection inTransaction = pool.asOwner("pool-review-app");
      pool.asSuperuser("pool-review-dba");
      inTransaction.setAutoCommit(false);
      try (Statement st = inTransaction.createStatement()) {
        st.execute("SELECT 1");
      }
      CompletableFuture<SQLException> sleeping =
          TargetSessions.inBackground(busy, "SELECT pg_sleep(60)");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  orders.number(
                          "SELECT count(*) FROM pg_stat_activity WHERE application_name ="
                              + " 'pool-review-app' AND state = 'active'")
                      == 1);
      Command command =
          Commands.of(
                  Operation.HEALTH_CHECK, orderDb, new HealthCheckParams(List.of("connections")))
              .build();
      publisher.publish(command).join();
      Finding connections = finding(results.awaitTerminal(command.id()), "connections");

      assertThat(connections.items())
          .anySatisfy(
              i ->
                  assertThat(i)
                      .containsEntry("user", orders.owner())
                      .containsEntry("application", "pool-review-app")
                      .containsEntry("connections", 3)
                      .containsEntry("active", 1)
                      .containsEntry("idle", 1)
                      .containsEntry("idleInTransaction", 1)
                      .doesNotContainKey("stateNotVisible"))
          .anySatisfy(
              i ->
                  assertThat(i)
                      .containsEntry("user", fleet.stack.postgres().superuser())
                      .containsEntry("application", "pool-review-dba")
                      .containsEntry("connections", 1)
                      // the worker's role has no pg_read_all_stats here: a superuser's state is
                      // hidden from it, and not guessed
                      .containsEntry("stateNotVisible", 1)
                      .containsEntry("active", 0))
          .anySatisfy(i -> assertThat(i).containsEntry("database", orderDb).hasSize(2));
      assertThat(connections.message()).contains("; in this database the most are user ");
      assertThat(sleeping).isNotDone();
    }
  }

  private static void leaveInvalidIndex() throws SQLException {
    try (Connection writer = orders.asOwner("test-writer");
        Connection dba = orders.asOwner("test-dba");
        Statement w = writer.createStatement();
        Statement d = dba.createStatement()) {
      writer.setAutoCommit(false);
      w.execute(
          "INSERT INTO order_items (order_id, sku, quantity, price_cents) VALUES (1, 'x', 1, 1)");
      d.execute("SET statement_timeout = '1s'");
      try {
        d.execute("REINDEX INDEX CONCURRENTLY order_items_order");
      } catch (SQLException expected) {
        // the _ccnew copy stays behind, invalid
      }
      writer.rollback();
    }
  }

  private static Finding finding(ResultEvent end, String check) {
    return end.data().findings().stream()
        .filter(f -> f.check().equals(check))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no finding " + check + " in " + end));
  }

  private static ResultEvent run(String target) {
    Command command =
        Commands.of(Operation.HEALTH_CHECK, target, HealthCheckParams.defaults())
            .source("urn:test:health")
            .build();
    publisher.publish(command).join();
    return results.awaitTerminal(command.id());
  }
}
