package io.pgfleet.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgfleet.commands.AnalyzeParams;
import io.pgfleet.commands.Command;
import io.pgfleet.commands.Commands;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.OperationParams;
import io.pgfleet.commands.VacuumParams;
import io.pgfleet.commands.publish.CommandPublisher;
import io.pgfleet.commands.result.Outcome;
import io.pgfleet.commands.result.ResultEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Light commands (ANALYZE, VACUUM of listed tables) do not wait for the target's fleet-wide lock
 * that heavy ones take; a VACUUM of the whole database still does.
 */
class LightRunsTest {
  private static Fleet fleet;
  private static ResultStream results;
  private static CommandPublisher publisher;
  private static String orderDb;

  @BeforeAll
  static void startFleet() throws Exception {
    fleet = new Fleet("order_db");
    orderDb = fleet.target("order_db");
    try (TargetSessions orders = new TargetSessions(fleet, "order_db");
        Connection c = orders.asOwner("test-setup");
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE small (id int PRIMARY KEY); INSERT INTO small VALUES (1), (2)");
    }
    results = fleet.results();
    publisher = fleet.publisher();
    fleet.startWorker(fleet.workerConfig("worker-light", t -> t));
  }

  @AfterAll
  static void stopFleet() throws Exception {
    fleet.close();
  }

  @Test
  void analyze_and_vacuum_of_listed_tables_run_while_another_holds_the_target_lock()
      throws Exception {
    try (Connection ledger = fleet.stack.postgres().connect(fleet.ledgerDatabase);
        PreparedStatement lock =
            ledger.prepareStatement(
                "SELECT pg_advisory_lock(hashtextextended('pgfleet.target:' || ?, 0))")) {
      lock.setString(1, orderDb);
      lock.execute(); // as a heavy run elsewhere in the fleet would hold it

      ResultEvent analyzed = run(Operation.ANALYZE, new AnalyzeParams(List.of("small")));
      ResultEvent vacuumed =
          run(Operation.VACUUM, new VacuumParams(List.of("small"), null, null, null));
      assertThat(analyzed.outcome()).isEqualTo(Outcome.SUCCEEDED);
      assertThat(vacuumed.outcome()).isEqualTo(Outcome.SUCCEEDED);

      Command whole = command(Operation.VACUUM, VacuumParams.defaults());
      publisher.publish(whole).join();
      Thread.sleep(3_000);
      assertThat(results.eventsFor(whole.id()))
          .as("a VACUUM of the whole database waits for the lock")
          .noneMatch(e -> e.outcome().isTerminal());

      try (Statement st = ledger.createStatement()) {
        st.execute("SELECT pg_advisory_unlock_all()");
      }
      assertThat(results.awaitTerminal(whole.id()).outcome()).isEqualTo(Outcome.SUCCEEDED);
    }
  }

  private static ResultEvent run(Operation op, OperationParams params) {
    Command command = command(op, params);
    publisher.publish(command).join();
    return results.awaitTerminal(command.id());
  }

  private static Command command(Operation op, OperationParams params) {
    return Commands.of(op, orderDb, params).source("urn:test:light").build();
  }
}
