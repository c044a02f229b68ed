package io.pgfleet.worker.intake;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgfleet.commands.wire.Topics;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The topics the consumer is subscribed to, asked at every poll. */
class SubscriptionTest {
  private final Topics topics = new Topics("sub");
  private final AtomicReference<Set<String>> served = new AtomicReference<>(Set.of("a", "b"));
  private final Subscription subscription = Subscription.following(topics, served::get);

  @Test
  void the_served_topics_are_answered_once_and_then_not_again_while_they_stay_the_same() {
    assertThat(subscription.changed(t -> false))
        .contains(List.of(topics.commands("a"), topics.commands("b")));
    assertThat(subscription.changed(t -> false)).isEmpty();
    assertThat(subscription.changed(t -> true)).isEmpty();
  }

  @Test
  void a_retired_topic_stays_while_its_run_executes_and_goes_at_the_first_poll_after_it() {
    subscription.changed(t -> false);
    served.set(Set.of("a"));
    Set<String> busy = new HashSet<>(Set.of(topics.commands("b")));
    assertThat(subscription.changed(busy::contains)).isEmpty();
    assertThat(subscription.changed(busy::contains)).isEmpty();
    busy.clear();
    assertThat(subscription.changed(busy::contains)).contains(List.of(topics.commands("a")));
    assertThat(subscription.changed(busy::contains)).isEmpty();
  }

  @Test
  void a_newly_served_topic_is_answered_with_the_others_of_a_thousand() {
    Set<String> many = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      many.add("t" + i);
    }
    served.set(Set.copyOf(many));
    Optional<List<String>> first = subscription.changed(t -> false);
    assertThat(first).hasValueSatisfying(l -> assertThat(l).hasSize(1000));
    many.add("new");
    served.set(Set.copyOf(many));
    assertThat(subscription.changed(t -> false))
        .hasValueSatisfying(l -> assertThat(l).hasSize(1001).contains(topics.commands("new")));
    assertThat(subscription.changed(t -> false)).isEmpty();
  }
}
