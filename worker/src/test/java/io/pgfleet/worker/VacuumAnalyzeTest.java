package io.pgfleet.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgfleet.commands.AnalyzeParams;
import io.pgfleet.commands.Command;
import io.pgfleet.commands.Commands;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.OperationParams;
import io.pgfleet.commands.VacuumParams;
import io.pgfleet.commands.publish.CommandPublisher;
import io.pgfleet.commands.result.Outcome;
import io.pgfleet.commands.result.ResultEvent;
import io.pgfleet.commands.wire.ResultCodec;
import io.pgfleet.worker.config.MaintenanceSettings;
import io.pgfleet.worker.config.Timeouts;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** VACUUM and ANALYZE on a real database: their effect, their statistics, their refusals. */
class VacuumAnalyzeTest {
  private static Fleet fleet;
  private static ResultStream results;
  private static CommandPublisher publisher;
  private static TargetSessions orders;
  private static String orderDb;
  private static String paymentDb;

  @BeforeAll
  static void startFleet() throws Exception {
    fleet = new Fleet("order_db", "payment_db");
    orderDb = fleet.target("order_db");
    paymentDb = fleet.target("payment_db");
    orders = new TargetSessions(fleet, "order_db");
    try (Connection c = orders.asOwner("test-setup");
        Statement st = c.createStatement()) {
      // autovacuum off: only the command under test may remove these dead rows
      st.execute(
          "CREATE TABLE churn (id int PRIMARY KEY, v text) WITH (autovacuum_enabled = false);"
              + " INSERT INTO churn SELECT i, repeat('x', 100) FROM generate_series(1, 20000) i;"
              + " DELETE FROM churn WHERE id % 2 = 0;"
              + " CREATE TABLE bloated (id int, v text) WITH (autovacuum_enabled = false);"
              + " INSERT INTO bloated SELECT i, repeat('y', 200) FROM generate_series(1, 20000) i;"
              + " DELETE FROM bloated WHERE id > 2000;"
              + " CREATE TABLE fresh (id int, v text) WITH (autovacuum_enabled = false);"
              + " INSERT INTO fresh SELECT i, 'z' FROM generate_series(1, 5000) i;");
    }
    results = fleet.results();
    publisher = fleet.publisher();
    MaintenanceSettings permissive =
        new MaintenanceSettings(
            true,
            false,
            false,
            Map.of(Operation.VACUUM, new Timeouts(null, Duration.ofSeconds(1))),
            Map.of());
    fleet.startWorker(
        fleet.workerConfig(
            "worker-v",
            t -> t.name().equals(orderDb) ? t.toBuilder().maintenance(permissive).build() : t));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                orders.number("SELECT n_dead_tup FROM pg_stat_user_tables WHERE relname = 'churn'")
                    >= 10000);
  }

  @AfterAll
  static void stopFleet() throws Exception {
    orders.close();
    fleet.close();
  }

  @Test
  void vacuum_of_a_listed_table_removes_its_dead_tuples_and_says_how_many() throws Exception {
    ResultEvent end =
        run(orderDb, Operation.VACUUM, new VacuumParams(List.of("churn"), null, null, null));

    assertThat(end.outcome()).as(end.toString()).isEqualTo(Outcome.SUCCEEDED);
    Map<String, Object> stats = end.data().statistics();
    assertThat(stats)
        .containsEntry("scope", "tables")
        .containsEntry("tables", 1)
        .containsEntry("deadTuplesBefore", 10000)
        .containsEntry("deadTuplesAfter", 0)
        .containsEntry("tuplesRemoved", 10000)
        .containsEntry("analyze", true);
    assertThat(perTable(stats).get(0)).containsEntry("table", "public.churn");
    assertThat(orders.number("SELECT n_dead_tup FROM pg_stat_user_tables WHERE relname = 'churn'"))
        .isZero();
    assertThat(
            orders.query(
                "SELECT last_vacuum IS NOT NULL FROM pg_stat_user_tables WHERE relname = 'churn'"))
        .isEqualTo(true);
    assertThat(
            new ResultCodec()
                .violation(results.records().get(results.records().size() - 1).value()))
        .isEmpty();
  }

  @Test
  void vacuum_of_the_whole_database_covers_every_table() {
    ResultEvent end = run(paymentDb, Operation.VACUUM, VacuumParams.defaults());

    assertThat(end.outcome()).as(end.toString()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(end.data().statistics())
        .containsEntry("scope", "database")
        .containsKey("pagesRemoved");
    assertThat((Integer) end.data().statistics().get("tables")).isGreaterThanOrEqualTo(2);
  }

  @Test
  void vacuum_full_rewrites_the_table_and_says_whether_it_could_check_the_disk() throws Exception {
    long before = orders.number("SELECT pg_total_relation_size('bloated')");

    ResultEvent unchecked = run(orderDb, Operation.VACUUM, full("bloated"));

    assertThat(unchecked.outcome()).as(unchecked.toString()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(orders.number("SELECT pg_total_relation_size('bloated')")).isLessThan(before / 4);
    assertThat((Integer) unchecked.data().statistics().get("bytesAfter"))
        .isLessThan((Integer) unchecked.data().statistics().get("bytesBefore"));
    assertThat((String) unchecked.data().statistics().get("diskCheck"))
        .startsWith("not checked: the target's user may not read data_directory");

    orders.execute("GRANT pg_read_all_settings TO " + orders.owner());
    ResultEvent checked = run(orderDb, Operation.VACUUM, full("bloated"));

    assertThat(checked.outcome()).as(checked.toString()).isEqualTo(Outcome.SUCCEEDED);
    assertThat((String) checked.data().statistics().get("diskCheck"))
        .startsWith("checked: ")
        .contains("free at ")
        .contains("public.bloated");
  }

  @Test
  void vacuum_full_is_refused_where_the_target_does_not_allow_it() {
    ResultEvent end = run(paymentDb, Operation.VACUUM, full("payments"));

    assertThat(end.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(end.data().error().code()).isEqualTo("OPERATION_NOT_ALLOWED");
    assertThat(end.data().error().message())
        .contains("locks each table against reads and writes")
        .contains("targets." + paymentDb + ".allow.vacuumFull: true");
  }

  @Test
  void a_table_that_does_not_exist_fails_the_run_before_anything_is_vacuumed() {
    ResultEvent end =
        run(
            orderDb,
            Operation.VACUUM,
            new VacuumParams(List.of("orders", "no_such_table"), null, null, null));

    assertThat(end.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(end.data().error().code()).isEqualTo("UNKNOWN_OBJECT");
    assertThat(end.data().error().message())
        .isEqualTo("table public.no_such_table does not exist in " + orderDb);
  }

  @Test
  void a_table_name_with_a_semicolon_is_rejected_and_nothing_runs() throws Exception {
    ResultEvent end =
        run(
            orderDb,
            Operation.VACUUM,
            new VacuumParams(List.of("orders; DROP TABLE orders"), null, null, null));

    assertThat(end.outcome()).isEqualTo(Outcome.REJECTED);
    assertThat(end.data().error().code()).isEqualTo("INVALID_COMMAND");
    assertThat(end.data().error().field()).isEqualTo("/data/tables/0");
    assertThat(end.data().error().message()).contains("no quotes, spaces or semicolons");
    assertThat(orders.number("SELECT count(*) FROM orders")).isEqualTo(3000);
  }

  @Test
  void a_table_locked_by_another_session_fails_with_lock_timeout_under_pgfleets_own_name()
      throws Exception {
    try (Connection holder = orders.asOwner("test-lock-holder");
        Statement st = holder.createStatement()) {
      holder.setAutoCommit(false);
      st.execute("LOCK TABLE order_items IN ACCESS EXCLUSIVE MODE");

      Command command =
          command(
              orderDb,
              Operation.VACUUM,
              new VacuumParams(List.of("order_items"), null, null, null));
      publisher.publish(command).join();
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(20))
          .until(
              () ->
                  orders.number(
                          "SELECT count(*) FROM pg_stat_activity WHERE application_name ="
                              + " 'pgfleet-vacuum' AND wait_event_type = 'Lock'")
                      == 1);
      ResultEvent end = results.awaitTerminal(command.id());
      holder.rollback();

      assertThat(end.outcome()).isEqualTo(Outcome.FAILED);
      assertThat(end.data().error().code()).isEqualTo("LOCK_TIMEOUT");
      assertThat(end.data().error().retryable()).isTrue();
      assertThat(end.data().error().message())
          .contains("public.order_items")
          .contains("lock timeout (1s)");
    }
  }

  @Test
  void analyze_of_a_listed_table_gives_the_planner_its_row_count() throws Exception {
    assertThat(orders.number("SELECT reltuples::bigint FROM pg_class WHERE relname = 'fresh'"))
        .isEqualTo(-1);

    ResultEvent end = run(orderDb, Operation.ANALYZE, new AnalyzeParams(List.of("public.fresh")));

    assertThat(end.outcome()).as(end.toString()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(orders.number("SELECT reltuples::bigint FROM pg_class WHERE relname = 'fresh'"))
        .isEqualTo(5000);
    assertThat(orders.number("SELECT count(*) FROM pg_stats WHERE tablename = 'fresh'"))
        .isEqualTo(2);
    assertThat(perTable(end.data().statistics()).get(0))
        .containsEntry("table", "public.fresh")
        .containsEntry("estimatedRows", 5000);
  }

  @Test
  void analyze_of_the_whole_database_and_of_an_unknown_table() {
    ResultEvent all = run(paymentDb, Operation.ANALYZE, AnalyzeParams.defaults());
    ResultEvent unknown = run(paymentDb, Operation.ANALYZE, new AnalyzeParams(List.of("nope")));

    assertThat(all.outcome()).as(all.toString()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(all.data().statistics()).containsEntry("scope", "database");
    assertThat(unknown.data().error().code()).isEqualTo("UNKNOWN_OBJECT");
  }

  private static VacuumParams full(String table) {
    return new VacuumParams(List.of(table), true, false, true);
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> perTable(Map<String, Object> stats) {
    return (List<Map<String, Object>>) stats.get("perTable");
  }

  private static Command command(String target, Operation op, OperationParams params) {
    return Commands.of(op, target, params).source("urn:test:maintenance").build();
  }

  private static ResultEvent run(String target, Operation op, OperationParams params) {
    Command command = command(target, op, params);
    publisher.publish(command).join();
    return results.awaitTerminal(command.id());
  }
}
