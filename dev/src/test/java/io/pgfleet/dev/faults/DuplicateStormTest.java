package io.pgfleet.dev.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgfleet.commands.AnalyzeParams;
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
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * 1,000 commands (ANALYZE of small tables: cheap, so the storm measures the delivery guarantees,
 * not the operation), each delivered three times, to two workers: exactly 1,000 executions.
 */
@Tag("faults")
class DuplicateStormTest {
  private static final int COMMANDS = 1_000;
  private static final int DELIVERIES = 3;

  @Test
  void a_storm_of_redeliveries_executes_each_command_exactly_once() throws Exception {
    LocalStack stack = LocalStack.shared();
    Topics topics = new Topics("storm");
    List<SampleDatabase> dbs =
        IntStream.range(0, 4)
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
                            AnalyzeParams.defaults())
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
                  () ->
                      distinct(results.events()).stream()
                          .filter(e -> e.outcome().isTerminal())
                          .toList(),
                  l -> l.size() >= COMMANDS * DELIVERIES);

      // Result events are delivered at least once: after a rebalance the same event (same
      // CloudEvents id) may be published again, so consumers count distinct event ids.
      Map<Outcome, Long> byOutcome =
          distinct(results.events()).stream()
              .filter(e -> e.outcome().isTerminal())
              .collect(Collectors.groupingBy(ResultEvent::outcome, Collectors.counting()));
      // Every delivery after the first is reported as a duplicate; a rebalance may redeliver a
      // record once more, which is reported too, and still not executed.
      assertThat(byOutcome).containsEntry(Outcome.SUCCEEDED, (long) COMMANDS);
      assertThat(byOutcome.get(Outcome.DUPLICATE))
          .isGreaterThanOrEqualTo((long) COMMANDS * (DELIVERIES - 1));
      Set<String> succeeded =
          ends.stream()
              .filter(e -> e.outcome() == Outcome.SUCCEEDED)
              .map(e -> e.data().commandId())
              .collect(Collectors.toSet());
      assertThat(succeeded).hasSize(COMMANDS);
      long executions =
          distinct(results.events()).stream().filter(e -> e.outcome() == Outcome.STARTED).count();
      assertThat(executions).isEqualTo(COMMANDS);
      assertThat(
              Probes.count(
                  stack.postgres(),
                  "storm_ledger",
                  "SELECT count(*) FROM pgfleet.runs WHERE state = 'succeeded' AND attempt = 1"))
          .isEqualTo(COMMANDS);
      FaultSummary.record(
          "duplicate storm (1000 x 3)",
          1,
          COMMANDS,
          (int) executions,
          COMMANDS - succeeded.size(),
          (int) executions - COMMANDS);
    }
  }

  private static List<ResultEvent> distinct(List<ResultEvent> events) {
    return List.copyOf(
        events.stream()
            .collect(
                Collectors.toMap(
                    ResultEvent::id,
                    Function.identity(),
                    (x, y) -> x,
                    java.util.LinkedHashMap::new))
            .values());
  }
}
