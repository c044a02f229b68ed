package io.pgfleet.worker.intake;

import io.pgfleet.worker.run.RunExecutor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.clients.consumer.Consumer;

/**
 * The end of the consumer thread's life: running commands get the grace period to finish, what they
 * settled is sent, and the rest are stopped. Also settles on a rebalance, with the same steps.
 */
final class Drain {
  private final Consumer<byte[], byte[]> consumer;
  private final Subscription subscription;
  private final RunsInFlight running;
  private final Settlement settlement;
  private final Stalls stalls;
  private final PollWakeup wakeup;
  private final RunExecutor executor;
  private final Clock clock;
  private final Duration grace;

  Drain(
      Consumer<byte[], byte[]> consumer,
      Subscription subscription,
      RunsInFlight running,
      Settlement settlement,
      Stalls stalls,
      PollWakeup wakeup,
      RunExecutor executor,
      Clock clock,
      Duration grace) {
    this.consumer = consumer;
    this.subscription = subscription;
    this.running = running;
    this.settlement = settlement;
    this.stalls = stalls;
    this.wakeup = wakeup;
    this.executor = executor;
    this.clock = clock;
    this.grace = grace;
  }

  /** Settles the runs that ended and sends what was settled; {@code all}: paused sends too. */
  void settle(boolean all) {
    running.collectFinished(consumer);
    settlement.commit(consumer, all);
    stalls.unsent(settlement.failing(), clock.instant());
  }

  /**
   * Lets running commands finish within the grace period, then stops the rest; partitions taken
   * meanwhile go through {@code moves}.
   */
  void run(PartitionMoves moves, Duration runWatch) {
    consumer.pause(consumer.assignment());
    wakeup.absorb(() -> subscription.poll(consumer, moves, running::busy, Duration.ZERO));
    Instant deadline = clock.instant().plus(grace);
    while (running.anyLeft() && clock.instant().isBefore(deadline)) {
      subscription.poll(consumer, moves, running::busy, runWatch);
      settle(false);
    }
    running.cancelAll("worker shutting down");
    try {
      executor.awaitIdle(Duration.ofSeconds(10).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    settle(true);
  }
}
