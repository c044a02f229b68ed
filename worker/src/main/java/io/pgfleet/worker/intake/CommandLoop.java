package io.pgfleet.worker.intake;

import io.pgfleet.worker.metrics.WorkerMetrics;
import io.pgfleet.worker.result.ResultPublisher;
import io.pgfleet.worker.run.RunExecutor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The consumer thread. Commands of one target run one at a time, in order: while a run executes its
 * partition is paused and the loop keeps polling, so a run of any length never makes the worker
 * leave the group. An offset is committed only once its command reached a terminal state and the
 * result is on Kafka.
 */
public final class CommandLoop implements Runnable {
  /**
   * How long an idle poll waits: records end it at once, so this only paces the loop's own work
   * (each poll walks every assigned partition to prepare fetches, costly with 1,000 targets).
   */
  private static final Duration POLL = Duration.ofSeconds(1);

  /** While a run executes, how often the loop looks whether it ended (no wakeup, no exception). */
  private static final Duration RUN_WATCH = Duration.ofMillis(10);

  private static final Duration RETRY_AFTER_ERROR = Duration.ofSeconds(5);

  private final Consumer<byte[], byte[]> consumer;
  private final List<String> subscription;
  private final Admission admission;
  private final RunExecutor executor;
  private final Clock clock;
  private final Duration shutdownGrace;

  private final PartitionQueues pending = new PartitionQueues();
  private final Offsets offsets = new Offsets();
  private final Rejections rejections;
  private final Stalls stalls = new Stalls(RETRY_AFTER_ERROR);
  private final RunsInFlight running;
  private final Settlement settlement;
  private final PartitionMoves moves;
  private final LagMeter lag;
  private volatile boolean stopping;

  CommandLoop(
      Consumer<byte[], byte[]> consumer,
      List<String> subscription,
      Admission admission,
      RunExecutor executor,
      ResultPublisher results,
      String workerId,
      Clock clock,
      Duration shutdownGrace,
      WorkerMetrics metrics) {
    this.consumer = consumer;
    this.subscription = subscription;
    this.admission = admission;
    this.executor = executor;
    this.clock = clock;
    this.shutdownGrace = shutdownGrace;
    this.rejections = new Rejections(results, metrics, workerId, clock, RETRY_AFTER_ERROR);
    this.running = new RunsInFlight(pending, offsets, rejections, stalls, clock, RETRY_AFTER_ERROR);
    this.settlement =
        new Settlement(running, rejections, stalls, offsets, pending, clock, RETRY_AFTER_ERROR);
    this.moves =
        new PartitionMoves(
            pending,
            running,
            offsets,
            rejections,
            stalls,
            () -> settlement.settleAndCommit(consumer),
            () -> stopping);
    this.lag = new LagMeter(consumer, pending, running, stalls, metrics, clock);
  }

  /**
   * Target topics whose next record keeps failing to be handled (it failed at least twice in a
   * row), with how long since it first failed. Read by the readiness probe from any thread.
   */
  public Map<String, Duration> stalls() {
    return stalls.byTopic();
  }

  /** How often partitions were taken from this worker while it was running. */
  public int rebalances() {
    return moves.rebalances();
  }

  /** Asks the loop to stop: running commands get the grace period to finish. */
  public void stop() {
    stopping = true; // the loop sees it within one poll
  }

  @Override
  public void run() {
    consumer.subscribe(subscription, moves);
    try {
      while (!stopping) {
        pollOnce();
      }
    } finally {
      drain();
      consumer.close();
    }
  }

  private void pollOnce() {
    // A run's end is noticed by polling briefly while one executes: its partition's next command
    // starts within RUN_WATCH, and nothing wakes the consumer from another thread.
    pending.add(consumer.poll(running.none() ? POLL : RUN_WATCH));
    running.collectFinished();
    dispatch();
    settlement.commit(consumer);
    lag.measure();
  }

  private void dispatch() {
    Instant now = clock.instant();
    for (TopicPartition tp : pending.partitions()) {
      if (running.busy(tp) || !pending.due(tp, now)) {
        continue;
      }
      while (pending.size(tp) > 0 && !running.busy(tp)) {
        handle(tp, pending.next(tp));
      }
      if (pending.size(tp) == 0 && !running.busy(tp)) {
        consumer.resume(List.of(tp));
      } else {
        consumer.pause(List.of(tp));
      }
    }
  }

  /** Starts or rejects one record. */
  private void handle(TopicPartition tp, ConsumerRecord<byte[], byte[]> record) {
    Verdict verdict = admission.admitOrDeadLetter(record, clock);
    if (verdict instanceof Verdict.Admitted a) {
      running.start(
          tp,
          record,
          a.command(),
          executor.submit(a.command(), a.json(), a.procedure(), a.target(), () -> {}));
      return;
    }
    rejections.reject(tp, record, (Verdict.Rejected) verdict);
    offsets.settled(tp, record.offset());
  }

  /** Lets running commands finish within the grace period, then stops the rest. */
  private void drain() {
    consumer.pause(consumer.assignment());
    Instant deadline = clock.instant().plus(shutdownGrace);
    while (running.anyLeft() && clock.instant().isBefore(deadline)) {
      consumer.poll(RUN_WATCH);
      settlement.settleAndCommit(consumer);
    }
    running.cancelAll("worker shutting down");
    try {
      executor.awaitIdle(Duration.ofSeconds(10).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    settlement.settleAndCommit(consumer);
  }
}
