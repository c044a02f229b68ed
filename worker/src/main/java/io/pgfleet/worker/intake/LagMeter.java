package io.pgfleet.worker.intake;

import io.pgfleet.worker.metrics.WorkerMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Per target topic, the commands this worker has not finished: unread (from the consumer's fetch
 * position, no broker call) plus queued here plus running; and the stalls. At most once a second,
 * less often for many partitions ({@link #interval}).
 */
final class LagMeter {
  private final Consumer<?, ?> consumer;
  private final PartitionQueues pending;
  private final RunsInFlight running;
  private final Stalls stalls;
  private final WorkerMetrics metrics;
  private final Clock clock;
  private Instant measuredAt = Instant.MIN;

  LagMeter(
      Consumer<?, ?> consumer,
      PartitionQueues pending,
      RunsInFlight running,
      Stalls stalls,
      WorkerMetrics metrics,
      Clock clock) {
    this.consumer = consumer;
    this.pending = pending;
    this.running = running;
    this.stalls = stalls;
    this.metrics = metrics;
    this.clock = clock;
  }

  void measure() {
    Instant now = clock.instant();
    Set<TopicPartition> assignment = consumer.assignment();
    if (now.isBefore(measuredAt.plus(interval(assignment.size())))) {
      return;
    }
    measuredAt = now;
    Map<String, Long> byTopic = new HashMap<>();
    for (TopicPartition tp : assignment) {
      long waiting =
          consumer.currentLag(tp).orElse(0) + pending.size(tp) + (running.busy(tp) ? 1 : 0);
      byTopic.merge(tp.topic(), waiting, Long::sum);
    }
    byTopic.forEach(metrics::consumerLag);
    stalls.measure(assignment, now, metrics);
  }

  /**
   * Once a second for up to 200 partitions, less often for more (5 ms per partition: 5 s for
   * 1,000), so that an idle worker with many targets does not spend its time counting.
   */
  static Duration interval(int partitions) {
    return Duration.ofMillis(Math.max(1_000, 5L * partitions));
  }
}
