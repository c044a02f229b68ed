package io.pgfleet.worker.intake;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The offsets to commit: past every record whose command reached a terminal state or was rejected,
 * never past a rejection Kafka does not have yet.
 */
final class Offsets {
  private static final Logger log = LoggerFactory.getLogger(Offsets.class);

  private final Map<TopicPartition, OffsetAndMetadata> toCommit = new HashMap<>();

  /** Offsets held back behind a rejection not yet on Kafka, committed once it is. */
  private final Map<TopicPartition, OffsetAndMetadata> heldBack = new HashMap<>();

  /** The record at {@code offset} is settled: the partition may move past it. */
  void settled(TopicPartition tp, long offset) {
    toCommit.put(tp, new OffsetAndMetadata(offset + 1));
  }

  /** Partitions with no unsent rejection any more: what was held back for them may go now. */
  void release(Set<TopicPartition> stillHeld) {
    heldBack.forEach(
        (tp, next) -> {
          if (!stillHeld.contains(tp)) {
            toCommit.merge(tp, next, Offsets::later);
          }
        });
    heldBack.keySet().retainAll(stillHeld);
  }

  /** Not past {@code offset}: the record there still waits for something (its rejection sent). */
  void notPast(TopicPartition tp, long offset) {
    OffsetAndMetadata next = toCommit.get(tp);
    if (next != null && next.offset() > offset) {
      toCommit.put(tp, new OffsetAndMetadata(offset));
      heldBack.merge(tp, next, Offsets::later);
    }
  }

  void commit(Consumer<?, ?> consumer) {
    if (toCommit.isEmpty()) {
      return;
    }
    try {
      consumer.commitSync(toCommit);
    } catch (CommitFailedException | RebalanceInProgressException e) {
      // Their commands are terminal in the ledger: a redelivery is reported as a duplicate.
      log.warn(
          "offset commit failed ({}); redelivered commands will be duplicates", e.getMessage());
    }
    toCommit.clear();
  }

  /** Partitions lost without a chance to commit: their offsets are another worker's now. */
  void forget(Collection<TopicPartition> partitions) {
    toCommit.keySet().removeAll(partitions);
    forgetHeldBack(partitions);
  }

  /** Partitions taken away: what was held back for them is no longer this worker's to commit. */
  void forgetHeldBack(Collection<TopicPartition> partitions) {
    heldBack.keySet().removeAll(partitions);
  }

  private static OffsetAndMetadata later(OffsetAndMetadata a, OffsetAndMetadata b) {
    return a.offset() >= b.offset() ? a : b;
  }
}
