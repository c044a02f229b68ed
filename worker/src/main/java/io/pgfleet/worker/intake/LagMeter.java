package io.pgfleet.worker.intake;

import io.pgfleet.worker.metrics.WorkerMetrics;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Per target topic, the commands this worker has not finished: unread (from the consumer's fetch
 * position, no broker call) plus queued here plus running; and the stalls. At most once a second.
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
    if (now.isBefore(measuredAt.plusSeconds(1))) {
      return;
    }
    measuredAt = now;
    Map<String, Long> byTopic = new HashMap<>();
    for (TopicPartition tp : consumer.assignment()) {
      long waiting =
          consumer.currentLag(tp).orElse(0) + pending.size(tp) + (running.busy(tp) ? 1 : 0);
      byTopic.merge(tp.topic(), waiting, Long::sum);
    }
    byTopic.forEach(metrics::consumerLag);
    stalls.measure(consumer.assignment(), now, metrics);
  }
}
