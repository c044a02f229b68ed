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
 * partition is forgotten; a run still executing for one keeps its lease and finishes, but publishes
 * nothing: its result waits in the ledger for the partition's new owner, which reads the record
 * again from the committed offset. A partition lost (this worker was out of the group) commits
 * nothing: its transaction would be fenced by the group's generation anyway.
 */
final class PartitionMoves implements ConsumerRebalanceListener {
  private static final Logger log = LoggerFactory.getLogger(PartitionMoves.class);

  private final PartitionQueues pending;
  private final RunsInFlight running;
  private final Settlement settlement;
  private final Stalls stalls;
  private final LagMeter lag;
  private final Runnable settleAndCommit;
  private final BooleanSupplier stopping;
  private final AtomicInteger rebalances = new AtomicInteger();

  PartitionMoves(
      PartitionQueues pending,
      RunsInFlight running,
      Settlement settlement,
      Stalls stalls,
      LagMeter lag,
      Runnable settleAndCommit,
      BooleanSupplier stopping) {
    this.pending = pending;
    this.running = running;
    this.settlement = settlement;
    this.stalls = stalls;
    this.lag = lag;
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
    forget(partitions);
  }

  @Override
  public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
    log.info("assigned {}", partitions);
    lag.changed(partitions);
  }

  private void forget(Collection<TopicPartition> partitions) {
    settlement.forget(partitions);
    stalls.forget(partitions);
    pending.forget(partitions);
    running.orphan(partitions);
    lag.forget(partitions);
  }
}
