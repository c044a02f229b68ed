package io.pgfleet.worker.intake;

import io.pgfleet.commands.result.Origin;
import io.pgfleet.worker.result.ResultTransactions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The records settled here go to Kafka: their results, rejections and DLQ copies in one transaction
 * with their offsets, every record settled since the last poll together. A transaction that fails
 * is aborted and its records sent again after a pause, one transaction per partition, so a record
 * Kafka keeps refusing holds only its own partition; until then that partition's next record waits.
 * Offsets therefore move past a record only together with its results. In the loop, a transaction
 * goes on a thread of its own ({@link BackgroundTransaction}) while the consumer thread polls and
 * starts runs; what is settled meanwhile goes in the next one.
 */
final class Settlement {
  private static final Logger log = LoggerFactory.getLogger(Settlement.class);
  private static final Duration REJOIN = Duration.ofMillis(200);

  private final ResultTransactions transactions;
  private final java.util.function.Consumer<List<String>> published;
  private final Clock clock;
  private final Duration retryAfter;
  private final List<Settled> unsent = new ArrayList<>();
  private final BackgroundTransaction background = new BackgroundTransaction();
  private final Map<TopicPartition, Instant> retryAt = new HashMap<>();

  Settlement(
      ResultTransactions transactions,
      java.util.function.Consumer<List<String>> published,
      Clock clock,
      Duration retryAfter) {
    this.transactions = transactions;
    this.published = published;
    this.clock = clock;
    this.retryAfter = retryAfter;
  }

  void add(Settled record) {
    unsent.add(record);
  }

  /** Whether the partition has a settled record not yet on Kafka. */
  boolean holds(TopicPartition tp) {
    return unsent.stream().anyMatch(s -> s.partition().equals(tp));
  }

  /**
   * Whether the record is settled here and not yet on Kafka (its transaction on its way or due).
   */
  boolean carries(Origin record) {
    return unsent.stream()
        .anyMatch(
            s ->
                s.offset() == record.offset()
                    && s.partition().partition() == record.partition()
                    && s.partition().topic().equals(record.topic()));
  }

  /** Whether the partition's last transaction failed and its records wait to be sent again. */
  boolean paused(TopicPartition tp) {
    return retryAt.containsKey(tp);
  }

  /** Per partition whose transaction failed, the first record still not on Kafka. */
  Map<TopicPartition, Long> failing() {
    Map<TopicPartition, Long> failing = new HashMap<>();
    for (Settled s : unsent) {
      if (retryAt.containsKey(s.partition())) {
        failing.merge(s.partition(), s.offset(), Math::min);
      }
    }
    return failing;
  }

  /** Whether a transaction is on its way in the background: its outcome is to be collected. */
  boolean sending() {
    return background.busy();
  }

  /**
   * Starts a transaction of what is due in the background, unless one is still on its way (what is
   * settled meanwhile goes in the next): the consumer thread polls and starts runs while it
   * commits. The outcome of the previous one is collected first, here on the consumer thread.
   */
  void send(Consumer<?, ?> consumer) {
    if (background.busy()) {
      return;
    }
    collect(consumer);
    List<Settled> due = due(false);
    if (!due.isEmpty()) {
      background.start(due, offsets(due), consumer.groupMetadata(), this::transactOrThrow);
    }
  }

  /** Waits for the transaction on its way, then handles its outcome as a synchronous one. */
  private void collect(Consumer<?, ?> consumer) {
    BackgroundTransaction.Sent sent = background.await();
    if (sent == null) {
      return;
    }
    if (sent.failure() == null) {
      done(sent.records());
    } else {
      retryApart(sent.records(), consumer, sent.failure());
    }
  }

  private List<Settled> due(boolean evenIfPaused) {
    Instant now = clock.instant();
    return unsent.stream()
        .filter(s -> evenIfPaused || !now.isBefore(retryAt.getOrDefault(s.partition(), now)))
        .toList();
  }

  /** Stops the background sender; the caller sent what it had to with {@link #commit} first. */
  void close() {
    background.close();
  }

  /**
   * Sends what is due and waits for it, after the transaction on its way; {@code evenIfPaused} also
   * what waits after a failure (partitions moving, the worker stopping).
   */
  void commit(Consumer<?, ?> consumer, boolean evenIfPaused) {
    collect(consumer);
    List<Settled> due = due(evenIfPaused);
    if (due.isEmpty() || transact(due, consumer)) {
      return;
    }
    // what committed anyway (its answer lost) is done, not sent again
    splitByPartition(due.stream().filter(unsent::contains).toList(), consumer);
  }

  private void retryApart(List<Settled> records, Consumer<?, ?> consumer, RuntimeException e) {
    failed(records, consumer, e);
    splitByPartition(records.stream().filter(unsent::contains).toList(), consumer);
  }

  /**
   * After a failed transaction: one per partition, so a record Kafka refuses holds only its own.
   */
  private void splitByPartition(List<Settled> due, Consumer<?, ?> consumer) {
    Map<TopicPartition, List<Settled>> byPartition = new LinkedHashMap<>();
    due.forEach(s -> byPartition.computeIfAbsent(s.partition(), k -> new ArrayList<>()).add(s));
    if (byPartition.size() > 1) {
      byPartition.values().forEach(records -> transact(records, consumer));
    }
  }

  /** Partitions taken away: their new owner reads them from the committed offset. */
  void forget(Collection<TopicPartition> partitions) {
    unsent.removeIf(s -> partitions.contains(s.partition()));
    retryAt.keySet().removeAll(partitions);
  }

  private boolean transact(List<Settled> records, Consumer<?, ?> consumer) {
    try {
      transactOrThrow(records, offsets(records), consumer.groupMetadata());
    } catch (RuntimeException e) {
      failed(records, consumer, e);
      return false;
    }
    done(records);
    return true;
  }

  /** One transaction: the records' results, then their offsets fenced by the group's generation. */
  private void transactOrThrow(
      List<Settled> records,
      Map<TopicPartition, OffsetAndMetadata> offsets,
      ConsumerGroupMetadata group) {
    eventsFirst(records); // a run's progress events go before the event that ends it
    transactions.begin();
    for (Settled s : records) {
      s.sends().forEach(send -> send.start(transactions));
    }
    transactions.commit(offsets, group);
  }

  /**
   * Waits for the started and progress events of these runs only (mostly on Kafka long before), not
   * for those that runs started since are sending. A send that failed does not hold the result.
   */
  private static void eventsFirst(List<Settled> records) {
    for (Settled s : records) {
      if (s.eventsFirst() == null) {
        continue;
      }
      try {
        s.eventsFirst().get();
      } catch (ExecutionException e) {
        log.debug("an event before the result was not sent: {}", e.getCause().toString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt(); // stopping: the transaction fails and is retried
        return;
      }
    }
  }

  private void failed(List<Settled> records, Consumer<?, ?> consumer, RuntimeException e) {
    log.warn(
        "results transaction of {} record(s) failed, will retry: {}", records.size(), e.toString());
    transactions.abort();
    boolean fellBack = false;
    for (Settled s : records) {
      for (Send send : s.sends()) {
        fellBack |= send.fellBack();
      }
    }
    // A commit whose answer was lost may have committed: the group's offsets say so.
    List<Settled> committed = committedAnyway(records, consumer);
    if (!committed.isEmpty()) {
      done(committed);
    }
    // A group generation that changed under the transaction is known again after the next poll.
    Duration pause =
        fellBack ? Duration.ZERO : e instanceof CommitFailedException ? REJOIN : retryAfter;
    Instant next = clock.instant().plus(pause);
    records.stream().filter(unsent::contains).forEach(s -> retryAt.put(s.partition(), next));
  }

  private static List<Settled> committedAnyway(List<Settled> records, Consumer<?, ?> consumer) {
    try {
      Map<TopicPartition, OffsetAndMetadata> committed =
          consumer.committed(offsets(records).keySet());
      return records.stream()
          .filter(
              s -> {
                OffsetAndMetadata c = committed.get(s.partition());
                return c != null && c.offset() > s.offset();
              })
          .toList();
    } catch (RuntimeException e) {
      log.warn("cannot read the committed offsets: {}", e.toString());
      return List.of();
    }
  }

  private void done(List<Settled> records) {
    unsent.removeAll(records);
    List<String> ids = new ArrayList<>();
    records.forEach(s -> ids.addAll(s.published()));
    records.forEach(
        s -> {
          if (!holds(s.partition())) {
            retryAt.remove(s.partition());
          }
        });
    published.accept(ids);
  }

  private static Map<TopicPartition, OffsetAndMetadata> offsets(List<Settled> records) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (Settled s : records) {
      offsets.merge(
          s.partition(),
          new OffsetAndMetadata(s.offset() + 1),
          (a, b) -> a.offset() >= b.offset() ? a : b);
    }
    return offsets;
  }
}
