package io.pgfleet.worker.intake;

import io.pgfleet.commands.result.Origin;
import io.pgfleet.worker.run.RunExecutor;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Starts the next records of every partition that is free: no run executing, no settled record
 * waiting for Kafka after a failed transaction, no retry pending. A record settled but not yet
 * committed does not hold the next one: its transaction is the next to commit, and a failed one is
 * retried with what the partition settles after it, in order. A record admission refuses is settled
 * at once and the next one is tried; a partition with nothing left to start is resumed, any other
 * paused.
 */
final class Dispatch {
  private final Consumer<byte[], byte[]> consumer;
  private final PartitionQueues pending;
  private final RunsInFlight running;
  private final Settlement settlement;
  private final Rejections rejections;
  private final Admission admission;
  private final RunExecutor executor;
  private final Clock clock;

  Dispatch(
      Consumer<byte[], byte[]> consumer,
      PartitionQueues pending,
      RunsInFlight running,
      Settlement settlement,
      Rejections rejections,
      Admission admission,
      RunExecutor executor,
      Clock clock) {
    this.consumer = consumer;
    this.pending = pending;
    this.running = running;
    this.settlement = settlement;
    this.rejections = rejections;
    this.admission = admission;
    this.executor = executor;
    this.clock = clock;
  }

  void run() {
    if (pending.partitions().isEmpty()) {
      return;
    }
    Instant now = clock.instant();
    List<TopicPartition> resumed = new ArrayList<>();
    for (TopicPartition tp : pending.partitions()) {
      if (running.busy(tp) || settlement.paused(tp) || !pending.due(tp, now)) {
        continue;
      }
      while (pending.size(tp) > 0 && !running.busy(tp)) {
        handle(tp, pending.next(tp));
      }
      if (pending.size(tp) == 0 && !running.busy(tp)) {
        consumer.resume(List.of(tp));
        resumed.add(tp);
      } else {
        consumer.pause(List.of(tp));
      }
    }
    // Resumed with nothing queued: not walked again by the next polls (an idle worker's loop then
    // walks no partition) until a poll returns its records or a run of it is tried again.
    pending.forget(resumed);
  }

  /** Starts or rejects one record. */
  private void handle(TopicPartition tp, ConsumerRecord<byte[], byte[]> record) {
    Verdict verdict = admission.admitOrDeadLetter(record, clock);
    if (verdict instanceof Verdict.Admitted a) {
      Origin origin = new Origin(record.topic(), record.partition(), record.offset());
      running.start(
          tp,
          record,
          a.command(),
          executor.submit(a.command(), a.json(), a.procedure(), a.target(), origin, () -> {}));
      return;
    }
    rejections.reject(tp, record, (Verdict.Rejected) verdict);
  }
}
