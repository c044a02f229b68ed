package io.pgfleet.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgfleet.commands.AnalyzeParams;
import io.pgfleet.commands.BackupParams;
import io.pgfleet.commands.Command;
import io.pgfleet.commands.Commands;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.result.Outcome;
import io.pgfleet.commands.result.ResultEvent;
import io.pgfleet.worker.config.WorkerConfig;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Terminal results go to Kafka in the transaction that commits their command's offset: a
 * read_committed consumer ({@link ResultStream}) sees exactly one per command record, whoever ends
 * up publishing it.
 */
class ExactlyOnceResultsTest {

  @Test
  void a_partition_that_moves_while_its_run_finishes_yields_exactly_one_terminal_result()
      throws Exception {
    try (Fleet fleet = new Fleet("order_db", "warehouse_db")) {
      ResultStream results = fleet.results();
      String moving = fleet.target("order_db");
      // About 8 s of upload: the partition moves while the run is still in flight.
      WorkerConfig a =
          WorkerConfigs.throttled(fleet.workerConfig("eos-a", UnaryOperator.identity()), 20_000);
      Worker first = fleet.startWorker(a);
      Command backup =
          Commands.backup(moving).id("eos-moving").params(new BackupParams("custom", 6)).build();
      fleet.publisher().publish(backup).join();
      results.awaitEvent(ResultStream.outcome(backup.id(), Outcome.STARTED));

      // A second worker serving only the running command's target: the group hands it that
      // partition, taken from the first worker while its run executes.
      WorkerConfig onlyMoving = fleet.workerConfig("eos-b", UnaryOperator.identity());
      onlyMoving = onlyMoving.withTargets(Map.of(moving, onlyMoving.targets().get(moving)));
      fleet.startWorker(onlyMoving);
      await("the partition left the first worker")
          .atMost(Duration.ofSeconds(30))
          .until(() -> first.rebalances() >= 1);
      assertThat(results.eventsFor(backup.id())).noneMatch(e -> e.outcome().isTerminal());

      ResultEvent end = results.awaitTerminal(backup.id());
      assertThat(end.outcome()).isEqualTo(Outcome.SUCCEEDED);
      assertThat(end.data().worker()).isEqualTo("eos-a"); // the run stayed where it started
      await("the new owner settled the record").until(() -> published(fleet, backup.id()));
      Command next = analyze(moving, "eos-after-move");
      fleet.publisher().publish(next).join();
      assertThat(results.awaitTerminal(next.id()).outcome()).isEqualTo(Outcome.SUCCEEDED);

      List<ResultEvent> events = results.eventsFor(backup.id());
      assertThat(events).filteredOn(e -> e.outcome().isTerminal()).hasSize(1);
      assertThat(events).filteredOn(e -> e.outcome() == Outcome.STARTED).hasSize(1);
    }
  }

  @Test
  void a_result_whose_transaction_committed_before_the_published_mark_is_not_published_again()
      throws Exception {
    try (Fleet fleet = new Fleet("order_db")) {
      ResultStream results = fleet.results();
      fleet.startWorker("eos-c");
      Command command = analyze(fleet.target("order_db"), "eos-mark-lost");
      fleet.publisher().publish(command).join();
      assertThat(results.awaitTerminal(command.id()).outcome()).isEqualTo(Outcome.SUCCEEDED);
      await().until(() -> published(fleet, command.id()));
      // As if the worker died after its transaction committed, before the ledger's mark.
      ledger(
          fleet, "UPDATE pgfleet.runs SET result_published = false WHERE command_id = ?", command);

      fleet.publisher().publish(command).join(); // a redelivery under the same id
      results.awaitEvent(ResultStream.outcome(command.id(), Outcome.DUPLICATE));
      await("the mark is written again").until(() -> published(fleet, command.id()));

      assertThat(results.eventsFor(command.id()))
          .filteredOn(e -> e.outcome() == Outcome.SUCCEEDED)
          .hasSize(1);
    }
  }

  private static Command analyze(String target, String id) {
    return Commands.of(Operation.ANALYZE, target, AnalyzeParams.defaults()).id(id).build();
  }

  private static boolean published(Fleet fleet, String commandId) throws Exception {
    try (Connection c = fleet.stack.postgres().connect(fleet.ledgerDatabase);
        PreparedStatement ps =
            c.prepareStatement("SELECT result_published FROM pgfleet.runs WHERE command_id = ?")) {
      ps.setString(1, commandId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && rs.getBoolean(1);
      }
    }
  }

  private static void ledger(Fleet fleet, String sql, Command command) throws Exception {
    try (Connection c = fleet.stack.postgres().connect(fleet.ledgerDatabase);
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, command.id());
      assertThat(ps.executeUpdate()).isEqualTo(1);
    }
  }
}
