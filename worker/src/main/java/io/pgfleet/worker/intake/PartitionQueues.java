package io.pgfleet.worker.intake;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;

/**
 * The records fetched but not yet handled, one queue per partition in offset order, and per
 * partition the instant before which its next record must not be tried again. A partition is here
 * from the poll that returned its records until it is resumed with none left (or taken away).
 */
final class PartitionQueues {
  private final Map<TopicPartition, Deque<ConsumerRecord<byte[], byte[]>>> pending =
      new HashMap<>();
  private final Map<TopicPartition, Instant> notBefore = new HashMap<>();

  void add(ConsumerRecords<byte[], byte[]> records) {
    for (TopicPartition tp : records.partitions()) {
      queue(tp).addAll(records.records(tp));
    }
  }

  /** Puts a record back at the head of its partition's queue, to be tried again at {@code at}. */
  void retryAt(TopicPartition tp, ConsumerRecord<byte[], byte[]> record, Instant at) {
    queue(tp).addFirst(record);
    notBefore.put(tp, at);
  }

  /** Holds the partition's next record back until {@code at}. */
  void holdUntil(TopicPartition tp, Instant at) {
    notBefore.put(tp, at);
  }

  boolean due(TopicPartition tp, Instant now) {
    return !now.isBefore(notBefore.getOrDefault(tp, Instant.MIN));
  }

  Set<TopicPartition> partitions() {
    return pending.keySet();
  }

  /** The partition's next record, or null when its queue is empty. */
  ConsumerRecord<byte[], byte[]> next(TopicPartition tp) {
    Deque<ConsumerRecord<byte[], byte[]>> queue = pending.get(tp);
    return queue == null ? null : queue.poll();
  }

  int size(TopicPartition tp) {
    Deque<ConsumerRecord<byte[], byte[]>> queue = pending.get(tp);
    return queue == null ? 0 : queue.size();
  }

  void forget(Collection<TopicPartition> partitions) {
    for (TopicPartition tp : partitions) {
      pending.remove(tp);
      notBefore.remove(tp);
    }
  }

  private Deque<ConsumerRecord<byte[], byte[]>> queue(TopicPartition tp) {
    return pending.computeIfAbsent(tp, k -> new ArrayDeque<>());
  }
}
