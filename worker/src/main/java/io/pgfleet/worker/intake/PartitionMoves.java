package io.pgfleet.worker.intake;

import java.util.Collection;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Partitions given to or taken from this worker: what was settled is committed first, then the
 * partition is forgotten; a run still executing for one keeps its lease and finishes.
 */
final class PartitionMoves implements ConsumerRebalanceListener {
  private static final Logger log = LoggerFactory.getLogger(PartitionMoves.class);

  private final PartitionQueues pending;
  private final RunsInFlight running;
  private final Offsets offsets;
  private final Rejections rejections;
  private final Stalls stalls;
  private final Runnable settleAndCommit;
  private final BooleanSupplier stopping;
  private final AtomicInteger rebalances = new AtomicInteger();

  PartitionMoves(
      PartitionQueues pending,
      RunsInFlight running,
      Offsets offsets,
      Rejections rejections,
      Stalls stalls,
      Runnable settleAndCommit,
      BooleanSupplier stopping) {
    this.pending = pending;
    this.running = running;
    this.offsets = offsets;
    this.rejections = rejections;
    this.stalls = stalls;
    this.settleAndCommit = settleAndCommit;
    this.stopping = stopping;
  }

  /** How often partitions were taken from this worker while it was running. */
  int rebalances() {
    return rebalances.get();
  }

  @Override
  public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
    if (!partitions.isEmpty() && !stopping.getAsBoolean()) {
      rebalances.incrementAndGet();
    }
    settleAndCommit.run();
    forget(partitions);
  }

  @Override
  public void onPartitionsLost(Collection<TopicPartition> partitions) {
    rebalances.incrementAndGet();
    offsets.forget(partitions);
    forget(partitions);
  }

  @Override
  public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
    log.info("assigned {}", partitions);
  }

  private void forget(Collection<TopicPartition> partitions) {
    rejections.forget(partitions);
    offsets.forgetHeldBack(partitions);
    stalls.forget(partitions);
    pending.forget(partitions);
    running.orphan(partitions);
  }
}
