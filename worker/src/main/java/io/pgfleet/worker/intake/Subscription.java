package io.pgfleet.worker.intake;

import io.pgfleet.commands.wire.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;

/**
 * The command topics the consumer is to be subscribed to: those of the targets served now, which
 * discovery may change while the worker runs. Read by the consumer thread only.
 */
final class Subscription {
  private final Supplier<List<String>> topics;
  private List<String> current;
  private List<String> answered;

  private Subscription(Supplier<List<String>> topics) {
    this.topics = topics;
  }

  static Subscription fixed(List<String> topics) {
    List<String> copy = List.copyOf(topics);
    return new Subscription(() -> copy);
  }

  /** Follows {@code names}, a supplier that returns the same set instance until the set changes. */
  static Subscription following(Topics topics, Supplier<Set<String>> names) {
    return new Subscription(
        new Supplier<>() {
          private Set<String> seen;
          private List<String> subscription;

          @Override
          public List<String> get() {
            Set<String> now = names.get();
            if (now != seen) {
              seen = now;
              subscription = CommandIntake.subscription(topics, now);
            }
            return subscription;
          }
        });
  }

  /**
   * The topics wanted now when they differ from the last answer; empty while they do not. A topic
   * that is no longer wanted stays while {@code busy}: a run of it is executing, and only the
   * partition's owner can publish its result in the transaction that commits its offset.
   */
  Optional<List<String>> changed(Predicate<String> busy) {
    List<String> now = topics.get();
    // Asked at every poll: the same list as last time, with no retired topic kept for a run, has
    // not changed, and is not compared topic by topic (1,000 targets, bench/RESULTS.md, scale).
    if (now == answered && current.size() == now.size()) {
      return Optional.empty();
    }
    answered = now;
    Set<String> served = new HashSet<>(now);
    List<String> wanted = new ArrayList<>(now);
    if (current != null) {
      current.stream().filter(t -> !served.contains(t) && busy.test(t)).forEach(wanted::add);
    }
    if (wanted.equals(current)) {
      return Optional.empty();
    }
    current = wanted;
    return Optional.of(wanted);
  }

  /**
   * Subscribes {@code consumer} to the topics wanted now if they changed, then polls; with no
   * target to serve (discovery found none yet) it only waits.
   */
  ConsumerRecords<byte[], byte[]> poll(
      Consumer<byte[], byte[]> consumer,
      ConsumerRebalanceListener moves,
      Predicate<String> busy,
      Duration timeout) {
    changed(busy).ifPresent(topics -> consumer.subscribe(topics, moves));
    // Subscribed to topics here (current not empty), the consumer's subscription is not: asking it
    // would copy its 1,000 topics at every poll.
    boolean none = current == null || current.isEmpty();
    if (none && consumer.subscription().isEmpty() && consumer.assignment().isEmpty()) {
      try {
        Thread.sleep(timeout.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return ConsumerRecords.empty();
    }
    return consumer.poll(timeout);
  }
}
