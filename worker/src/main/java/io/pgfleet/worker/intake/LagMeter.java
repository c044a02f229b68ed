package io.pgfleet.worker.intake;

import io.pgfleet.worker.metrics.WorkerMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Per target topic, the commands this worker has not finished: unread (from the consumer's fetch
 * position, no broker call) plus queued here plus running; and the stalls. Only partitions that may
 * have changed are measured: those a poll returned records of, those newly assigned, and those not
 * at 0 at the last measure (a run or a queue that has not ended yet); every partition is measured
 * again once a minute. An idle worker of 1,000 targets so counts nothing (bench/RESULTS.md, scale).
 * At most once a second, less often for many partitions ({@link #interval}).
 */
final class LagMeter {
  /** How often every assigned partition is measured, changed or not. */
  static final Duration SWEEP = Duration.ofMinutes(1);

  private final Consumer<?, ?> consumer;
  private final PartitionQueues pending;
  private final RunsInFlight running;
  private final Stalls stalls;
  private final WorkerMetrics metrics;
  private final Clock clock;
  private final Set<TopicPartition> due = new HashSet<>();
  private final Map<String, Map<TopicPartition, Long>> waiting = new HashMap<>();
  private Instant measuredAt = Instant.MIN;
  private Instant sweptAt;

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
    this.sweptAt = clock.instant();
  }

  /** Partitions whose lag may have changed: a poll returned records of them, or newly assigned. */
  void changed(Collection<TopicPartition> partitions) {
    due.addAll(partitions);
  }

  /** Partitions taken from this worker: no longer counted in their topic's lag here. */
  void forget(Collection<TopicPartition> partitions) {
    due.removeAll(partitions);
    for (TopicPartition tp : partitions) {
      Map<TopicPartition, Long> topic = waiting.get(tp.topic());
      if (topic != null) {
        topic.remove(tp);
      }
    }
  }

  void measure() {
    Instant now = clock.instant();
    if (!now.isBefore(sweptAt.plus(SWEEP))) {
      sweptAt = now;
      due.addAll(consumer.assignment());
    }
    if (now.isBefore(measuredAt.plus(interval(due.size())))) {
      return;
    }
    measuredAt = now;
    Set<String> topics = new HashSet<>();
    Set<TopicPartition> notYetZero = new HashSet<>();
    for (TopicPartition tp : due) {
      long n = consumer.currentLag(tp).orElse(0) + pending.size(tp) + (running.busy(tp) ? 1 : 0);
      waiting.computeIfAbsent(tp.topic(), t -> new HashMap<>()).put(tp, n);
      topics.add(tp.topic());
      if (n > 0) {
        notYetZero.add(tp);
      }
    }
    for (String topic : topics) {
      long sum = 0;
      for (long n : waiting.get(topic).values()) {
        sum += n;
      }
      metrics.consumerLag(topic, sum);
    }
    stalls.measure(topics, now, metrics);
    due.clear();
    due.addAll(notYetZero);
  }

  /**
   * Once a second for up to 200 partitions to measure, less often for more (5 ms per partition: 5 s
   * for 1,000), so that a worker with many targets does not spend its time counting.
   */
  static Duration interval(int partitions) {
    return Duration.ofMillis(Math.max(1_000, 5L * partitions));
  }
}
