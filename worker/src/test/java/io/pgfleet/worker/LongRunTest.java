package io.pgfleet.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgfleet.commands.Command;
import io.pgfleet.commands.Commands;
import io.pgfleet.commands.result.Outcome;
import io.pgfleet.commands.result.ResultEvent;
import io.pgfleet.worker.config.WorkerConfig;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** A run may take longer than Kafka's max.poll.interval.ms: the worker keeps polling meanwhile. */
class LongRunTest {
  private static final int MAX_POLL_INTERVAL_MS = 4_000;

  @Test
  void a_backup_slower_than_max_poll_interval_completes_once_with_zero_rebalances()
      throws Exception {
    try (Fleet fleet = new Fleet("order_db")) {
      ResultStream results = fleet.results();
      WorkerConfig base = fleet.workerConfig("worker-slow", UnaryOperator.identity());
      Worker worker = fleet.startWorker(slow(base));
      // gzip 6: the ~170 KiB the throttle below is sized for (the zstd default is smaller)
      Command command =
          Commands.backup(fleet.target("order_db"))
              .params(new io.pgfleet.commands.BackupParams("custom", 6))
              .build();

      fleet.publisher().publish(command).join();
      ResultEvent end = results.awaitTerminal(command.id());

      assertThat(end.outcome()).isEqualTo(Outcome.SUCCEEDED);
      assertThat(end.data().durationMs()).isGreaterThan(2L * MAX_POLL_INTERVAL_MS);
      List<ResultEvent> events = results.eventsFor(command.id());
      assertThat(events).filteredOn(e -> e.outcome() == Outcome.STARTED).hasSize(1);
      assertThat(events).filteredOn(e -> e.outcome() == Outcome.PROGRESS).isNotEmpty();
      assertThat(worker.rebalances()).isZero();
    }
  }

  /** About 20 KiB/s: the sample order_db dump (~170 KiB) then takes about 8 s. */
  /** Uploads at 20 KiB/s under a short max.poll.interval.ms: the run outlives many of them. */
  private static WorkerConfig slow(WorkerConfig c) {
    return WorkerConfigs.throttled(
        WorkerConfigs.kafka(
            c, Map.of("max.poll.interval.ms", String.valueOf(MAX_POLL_INTERVAL_MS))),
        20 * 1024);
  }
}
