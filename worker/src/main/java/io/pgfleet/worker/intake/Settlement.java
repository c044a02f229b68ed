package io.pgfleet.worker.intake;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/**
 * What may be committed: the runs that ended are settled, then the offsets go to Kafka, never past
 * a rejection Kafka does not have yet (that partition's next record waits for it too).
 */
final class Settlement {
  private final RunsInFlight running;
  private final Rejections rejections;
  private final Stalls stalls;
  private final Offsets offsets;
  private final PartitionQueues pending;
  private final Clock clock;
  private final Duration retryAfterError;

  Settlement(
      RunsInFlight running,
      Rejections rejections,
      Stalls stalls,
      Offsets offsets,
      PartitionQueues pending,
      Clock clock,
      Duration retryAfterError) {
    this.running = running;
    this.rejections = rejections;
    this.stalls = stalls;
    this.offsets = offsets;
    this.pending = pending;
    this.clock = clock;
    this.retryAfterError = retryAfterError;
  }

  void settleAndCommit(Consumer<?, ?> consumer) {
    running.collectFinished();
    commit(consumer);
  }

  void commit(Consumer<?, ?> consumer) {
    Map<TopicPartition, Long> unsettled = rejections.settle();
    stalls.unsent(unsettled, clock.instant());
    offsets.release(unsettled.keySet());
    unsettled.forEach(
        (tp, offset) -> {
          offsets.notPast(tp, offset);
          pending.holdUntil(tp, clock.instant().plus(retryAfterError));
        });
    offsets.commit(consumer);
  }
}
