package io.pgfleet.worker.intake;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

/**
 * At most one results transaction on its way on a thread of its own, so the consumer thread goes on
 * polling and starting runs while Kafka commits it. Started and collected by the consumer thread
 * only; the producer is used by one thread at a time (the next transaction starts after this one's
 * outcome was collected).
 */
final class BackgroundTransaction implements AutoCloseable {
  /** How a transaction ended: {@code failure} null when it committed. */
  record Sent(List<Settled> records, RuntimeException failure) {}

  /** The transaction's work: sends, offsets, commit; throws when it did not commit. */
  interface Work {
    void run(
        List<Settled> records,
        Map<TopicPartition, OffsetAndMetadata> offsets,
        ConsumerGroupMetadata group);
  }

  private final ExecutorService thread =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "pgfleet-results");
            t.setDaemon(true);
            return t;
          });
  private Future<Sent> onItsWay;
  private List<Settled> records = List.of();

  boolean busy() {
    return onItsWay != null && !onItsWay.isDone();
  }

  void start(
      List<Settled> records,
      Map<TopicPartition, OffsetAndMetadata> offsets,
      ConsumerGroupMetadata group,
      Work work) {
    this.records = records;
    onItsWay =
        thread.submit(
            () -> {
              try {
                work.run(records, offsets, group);
                return new Sent(records, null);
              } catch (RuntimeException e) {
                return new Sent(records, e);
              }
            });
  }

  /** Waits for the transaction on its way and returns how it ended; null when there is none. */
  Sent await() {
    if (onItsWay == null) {
      return null;
    }
    Future<Sent> it = onItsWay;
    onItsWay = null;
    // The producer's own timeouts bound the wait; an interrupt (stopping) is kept for the caller.
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return it.get();
        } catch (ExecutionException e) {
          return new Sent(records, new KafkaException(e.getCause()));
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public void close() {
    thread.shutdown();
  }
}
