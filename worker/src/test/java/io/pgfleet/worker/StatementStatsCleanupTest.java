package io.pgfleet.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgfleet.commands.Command;
import io.pgfleet.commands.Commands;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.ResetStatementStatsParams;
import io.pgfleet.commands.result.Outcome;
import io.pgfleet.commands.result.ResultEvent;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The runbook's monthly {@code DELETE FROM pg_stat_statements WHERE calls < 10}, on the real
 * extension: only the target database's rarely called statements lose their statistics.
 */
class StatementStatsCleanupTest {
  // No constants: pg_stat_statements keeps these texts as they are.
  private static final String FREQUENT = "SELECT count(*) FROM orders";
  private static final String RARE = "SELECT count(*) FROM order_items";
  private static final String SUPERUSERS_RARE = "SELECT max(id) FROM orders";
  private static final String OTHER_DATABASES_RARE = "SELECT count(*) FROM inventory";

  private static Fleet fleet;
  private static ResultStream results;
  private static String orderDb;
  private static String warehouseDb;
  private static TargetSessions orders;
  private static TargetSessions warehouse;

  @BeforeAll
  static void startFleet() {
    fleet = new Fleet("order_db", "warehouse_db");
    orderDb = fleet.target("order_db");
    warehouseDb = fleet.target("warehouse_db");
    orders = new TargetSessions(fleet, "order_db");
    warehouse = new TargetSessions(fleet, "warehouse_db");
    results = fleet.results();
    fleet.startWorker(fleet.workerConfig("worker-ss", t -> t));
  }

  @AfterAll
  static void stopFleet() throws Exception {
    orders.close();
    warehouse.close();
    fleet.close();
  }

  @Test
  void only_statements_called_fewer_times_than_the_limit_are_reset_in_the_target_database()
      throws Exception {
    orders.execute(
        "CREATE EXTENSION IF NOT EXISTS pg_stat_statements;"
            + " GRANT EXECUTE ON FUNCTION pg_stat_statements_reset(oid, oid, bigint) TO "
            + orders.owner());
    try (Connection service = orders.asOwner("order-service");
        Statement st = service.createStatement()) {
      for (int i = 0; i < 12; i++) {
        st.execute(FREQUENT);
      }
      st.execute(RARE);
      st.execute(RARE);
    }
    orders.number(SUPERUSERS_RARE);
    try (Connection other = warehouse.asOwner("warehouse-service");
        Statement st = other.createStatement()) {
      st.execute(OTHER_DATABASES_RARE);
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> calls(orderDb, RARE) == 2);

    ResultEvent dry = run(new ResetStatementStatsParams(true, null, 10));
    long rareAfterDryRun = calls(orderDb, RARE);
    ResultEvent reset = run(new ResetStatementStatsParams(false, orderDb, 10));

    assertThat(dry.outcome()).as(dry.toString()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(dry.data().statistics())
        .containsEntry("callsBelow", 10)
        .containsKey("statementsBefore");
    assertThat(((Number) dry.data().statistics().get("statementsWouldBeReset")).intValue())
        .isPositive();
    assertThat(rareAfterDryRun).isEqualTo(2);
    assertThat(reset.outcome()).as(reset.toString()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(((Number) reset.data().statistics().get("statementsReset")).intValue()).isPositive();
    // The worker's role has no pg_read_all_stats: the superuser's statements are not its to see.
    assertThat(((Number) reset.data().statistics().get("statementsNotVisible")).intValue())
        .isPositive();
    assertThat(calls(orderDb, RARE)).isZero();
    assertThat(calls(orderDb, FREQUENT)).isGreaterThanOrEqualTo(12);
    assertThat(calls(orderDb, SUPERUSERS_RARE)).isEqualTo(1);
    assertThat(calls(warehouseDb, OTHER_DATABASES_RARE)).isEqualTo(1);
  }

  @Test
  void a_limit_below_one_is_refused_before_anything_is_sent() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new ResetStatementStatsParams(true, null, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("callsBelow must be at least 1");
  }

  /** The calls of a statement in a database, 0 when it has no entry (reset or never run). */
  private static long calls(String database, String query) throws Exception {
    return orders.number(
        "SELECT coalesce(sum(s.calls), 0) FROM pg_stat_statements s JOIN pg_database d"
            + " ON d.oid = s.dbid WHERE d.datname = '"
            + database
            + "' AND s.query = '"
            + query
            + "'");
  }

  private static ResultEvent run(ResetStatementStatsParams params) {
    Command command =
        Commands.of(Operation.RESET_STATEMENT_STATS, orderDb, params)
            .source("urn:test:statements")
            .build();
    fleet.publisher().publish(command).join();
    return results.awaitTerminal(command.id());
  }
}
