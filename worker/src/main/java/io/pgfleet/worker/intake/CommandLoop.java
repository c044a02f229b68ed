package io.pgfleet.worker.intake;

import io.pgfleet.worker.metrics.WorkerMetrics;
import io.pgfleet.worker.result.ResultPublisher;
import io.pgfleet.worker.result.ResultTransactions;
import io.pgfleet.worker.run.RunExecutor;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;

/**
 * The consumer thread. Commands of one target run one at a time, in order: while a run executes its
 * partition is paused and the loop keeps polling, so a run of any length never makes the worker
 * leave the group. A command's offset is committed in the Kafka transaction that publishes its
 * result; the partition's next command starts as that transaction begins (after a failed one, only
 * once it is sent again).
 */
public final class CommandLoop implements Runnable {

  /** While a run executes, how often the loop looks whether it ended (no wakeup, no exception). */
  private static final Duration RUN_WATCH = Duration.ofMillis(10);

  private static final Duration RETRY_AFTER_ERROR = Duration.ofSeconds(5);

  private final Consumer<byte[], byte[]> consumer;
  private final Subscription subscription;
  private final ResultTransactions transactions;
  private final Clock clock;

  /**
   * How long an idle poll waits: records end it at once, so this only paces the loop's own work
   * (each poll walks every assigned partition to prepare fetches, costly with 1,000 targets).
   */
  private final Duration idlePoll;

  private final PartitionQueues pending = new PartitionQueues();
  private final Stalls stalls = new Stalls(RETRY_AFTER_ERROR);
  private final Settlement settlement;
  private final RunsInFlight running;
  private final Dispatch dispatch;
  private final PartitionMoves moves;
  private final LagMeter lag;
  private final PollWakeup wakeup;
  private final Drain drain;
  private volatile boolean stopping;

  CommandLoop(
      Consumer<byte[], byte[]> consumer,
      Subscription subscription,
      Admission admission,
      RunExecutor executor,
      ResultPublisher events,
      ResultTransactions transactions,
      String workerId,
      Clock clock,
      Duration shutdownGrace,
      Duration idlePoll,
      WorkerMetrics metrics) {
    this.consumer = consumer;
    this.idlePoll = idlePoll;
    this.subscription = subscription;
    this.transactions = transactions;
    this.clock = clock;
    this.settlement =
        new Settlement(transactions, executor::markPublished, clock, RETRY_AFTER_ERROR);
    Rejections rejections = new Rejections(events, settlement, metrics, workerId, clock);
    this.running =
        new RunsInFlight(pending, settlement, rejections, stalls, clock, RETRY_AFTER_ERROR);
    this.dispatch =
        new Dispatch(
            consumer, pending, running, settlement, rejections, admission, executor, clock);
    this.wakeup = new PollWakeup(consumer);
    this.drain =
        new Drain(
            consumer,
            subscription,
            running,
            settlement,
            stalls,
            wakeup,
            executor,
            clock,
            shutdownGrace);
    this.lag = new LagMeter(consumer, pending, running, stalls, metrics, clock);
    this.moves =
        new PartitionMoves(
            pending, running, settlement, stalls, lag, () -> drain.settle(true), () -> stopping);
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
    stopping = true; // the loop sees it after its poll
    wakeup.stop(); // which ends now, not when its timeout passes
  }

  @Override
  public void run() {
    try {
      while (!stopping) {
        // A run's end is noticed by polling briefly while one executes: its partition's next
        // command starts within RUN_WATCH; only stop() wakes the consumer from another thread.
        Duration timeout = running.none() && !settlement.sending() ? idlePoll : RUN_WATCH;
        var records = wakeup.poll(() -> subscription.poll(consumer, moves, running::busy, timeout));
        if (stopping) {
          break; // what it returned is not dispatched: the partitions' next owner reads it again
        }
        pending.add(records);
        lag.changed(records.partitions());
        // The partitions whose runs ended start their next commands while the transaction that
        // settles the ended ones goes to Kafka on its own thread: the result's send overlaps the
        // next run, and this thread goes on polling.
        running.collectFinished(consumer);
        dispatch.run();
        settlement.send(consumer);
        stalls.unsent(settlement.failing(), clock.instant());
        lag.measure();
      }
    } finally {
      try {
        drain.run(moves, RUN_WATCH);
      } finally {
        consumer.close(); // revokes the partitions: what is settled is sent first
        settlement.close();
        transactions.close();
      }
    }
  }
}
