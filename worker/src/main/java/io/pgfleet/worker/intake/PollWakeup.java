package io.pgfleet.worker.intake;

import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Ends the loop's idle poll when the worker stops, instead of up to a poll's timeout later. {@link
 * Consumer#wakeup()} makes the next blocking consumer call throw, whichever it is: it is sent only
 * while the loop polls, and one that arrives as that poll returns is taken by {@link #absorb}
 * before the consumer is asked anything else.
 */
final class PollWakeup {
  private final Consumer<?, ?> consumer;
  private boolean stopped; // guarded by this
  private boolean polling; // guarded by this
  private boolean sent; // guarded by this

  PollWakeup(Consumer<?, ?> consumer) {
    this.consumer = consumer;
  }

  /** Called from any thread: no poll of the loop waits after this. */
  synchronized void stop() {
    stopped = true;
    if (polling) {
      consumer.wakeup();
      sent = true;
    }
  }

  /** The loop's poll: none once stopped, and ended early by {@link #stop()}. */
  ConsumerRecords<byte[], byte[]> poll(Supplier<ConsumerRecords<byte[], byte[]>> poll) {
    synchronized (this) {
      if (stopped) {
        return ConsumerRecords.empty();
      }
      polling = true;
    }
    try {
      return poll.get();
    } catch (WakeupException e) {
      taken();
      return ConsumerRecords.empty();
    } finally {
      synchronized (this) {
        polling = false;
      }
    }
  }

  /** Runs {@code poll} (one that returns at once) if a wakeup may still be pending, taking it. */
  void absorb(Runnable poll) {
    synchronized (this) {
      if (!sent) {
        return;
      }
    }
    try {
      poll.run();
    } catch (WakeupException e) {
      taken();
    }
  }

  private synchronized void taken() {
    sent = false;
  }
}
