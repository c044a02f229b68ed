package io.pgfleet.dev.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgfleet.commands.Command;
import io.pgfleet.commands.Commands;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.publish.CommandPublisher;
import io.pgfleet.commands.result.Outcome;
import io.pgfleet.commands.result.ResultEvent;
import io.pgfleet.commands.wire.Topics;
import io.pgfleet.dev.LocalWorkerConfigs;
import io.pgfleet.local.LocalStack;
import io.pgfleet.local.SampleFleet.SampleDatabase;
import io.pgfleet.worker.ResultStream;
import io.pgfleet.worker.Worker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * 1,000 commands (ANALYZE of one 20-row table: cheap, so the storm measures the delivery
 * guarantees, not the operation), each delivered three times, to two workers: exactly 1,000
 * executions, and for a read_committed consumer exactly one terminal event per delivery, no event
 * id twice.
 */
@Tag("faults")
class DuplicateStormTest {
  private static final int COMMANDS = 1_000;
  private static final int DELIVERIES = 3;

  /**
   * A target's commands run one at a time, each after the previous one's result is on Kafka: the
   * storm spreads over many targets so that it takes seconds, not minutes, and each worker still
   * owns several partitions that move when the second one joins.
   */
  private static final int TARGETS = 16;

  @Test
  void a_storm_of_redeliveries_executes_each_command_exactly_once() throws Exception {
    LocalStack stack = LocalStack.shared();
    Topics topics = new Topics("storm");
    List<SampleDatabase> dbs =
        IntStream.range(0, TARGETS)
            .mapToObj(i -> Probes.tinyDatabase(stack.postgres(), "storm_db" + i))
            .toList();
    stack.s3().createBucket("storm");
    stack.postgres().createDatabase("storm_ledger", stack.postgres().superuser());
    List<Command> commands =
        IntStream.range(0, COMMANDS)
            .mapToObj(
                i ->
                    Commands.of(
                            Operation.ANALYZE,
                            dbs.get(i % dbs.size()).name(),
                            Probes.TINY_TABLE_ANALYZE)
                        .id("storm-" + i)
                        .build())
            .toList();

    try (ResultStream results =
            new ResultStream(stack.kafka().bootstrapServers(), topics.results());
        Worker a =
            Worker.start(
                LocalWorkerConfigs.of(stack, "storm-a", topics, "storm", "storm_ledger", dbs));
        Worker b =
            Worker.start(
                LocalWorkerConfigs.of(stack, "storm-b", topics, "storm", "storm_ledger", dbs));
        CommandPublisher publisher =
            CommandPublisher.connect(stack.kafka().bootstrapServers(), topics, Map.of())) {
      for (Command command : commands) {
        for (int d = 0; d < DELIVERIES; d++) {
          publisher.publish(command);
        }
      }
      publisher.flush();

      List<ResultEvent> ends =
          org.awaitility.Awaitility.await()
              .atMost(Duration.ofMinutes(10))
              .pollInterval(Duration.ofSeconds(1))
              .until(
                  () -> results.events().stream().filter(e -> e.outcome().isTerminal()).toList(),
                  l -> l.size() >= COMMANDS * DELIVERIES);
      // Whatever arrives late is counted too: a second copy would come within a rebalance.
      Thread.sleep(2_000);
      ends = results.events().stream().filter(e -> e.outcome().isTerminal()).toList();

      // Results are exactly once for a read_committed consumer (ResultStream is one): no event
      // id twice, and every delivery ends in exactly one terminal event.
      long repeatedIds = ends.size() - ends.stream().map(ResultEvent::id).distinct().count();
      Map<Outcome, Long> byOutcome =
          ends.stream().collect(Collectors.groupingBy(ResultEvent::outcome, Collectors.counting()));
      assertThat(repeatedIds).as("terminal events published twice (same id)").isZero();
      assertThat(byOutcome).containsEntry(Outcome.SUCCEEDED, (long) COMMANDS);
      assertThat(byOutcome).containsEntry(Outcome.DUPLICATE, (long) COMMANDS * (DELIVERIES - 1));
      assertThat(ends).hasSize(COMMANDS * DELIVERIES);
      Set<String> succeeded =
          ends.stream()
              .filter(e -> e.outcome() == Outcome.SUCCEEDED)
              .map(e -> e.data().commandId())
              .collect(Collectors.toSet());
      assertThat(succeeded).hasSize(COMMANDS);
      long executions =
          results.events().stream().filter(e -> e.outcome() == Outcome.STARTED).count();
      assertThat(executions).isEqualTo(COMMANDS);
      assertThat(
              Probes.count(
                  stack.postgres(),
                  "storm_ledger",
                  "SELECT count(*) FROM pgfleet.runs WHERE state = 'succeeded' AND attempt = 1"))
          .isEqualTo(COMMANDS);
      FaultSummary.record(
          "duplicate storm (" + COMMANDS + " x " + DELIVERIES + ")",
          1,
          COMMANDS,
          (int) executions,
          COMMANDS - succeeded.size(),
          (int) executions - COMMANDS);
      // The "duplicated" column of this line: terminal event ids published more than once.
      FaultSummary.record(
          "storm: terminal ids seen twice",
          1,
          COMMANDS * DELIVERIES,
          (int) executions,
          0,
          (int) repeatedIds);
    }
  }
}
