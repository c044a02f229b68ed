package io.pgfleet.worker.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.fail;

import io.pgfleet.local.LocalStack;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

/** A stopping worker does not wait out its idle poll, and no other consumer call is woken. */
class PollWakeupTest {
  @Test
  void stop_ends_a_poll_that_would_wait_thirty_seconds() throws Exception {
    LocalStack stack = LocalStack.shared();
    String topic = "poll-wakeup-" + UUID.randomUUID();
    stack.kafka().createTopic(topic, 1);
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers());
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
      consumer.assign(List.of(new TopicPartition(topic, 0)));
      PollWakeup wakeup = new PollWakeup(consumer);
      long start = System.nanoTime();
      CompletableFuture<ConsumerRecords<byte[], byte[]>> polled =
          CompletableFuture.supplyAsync(
              () -> wakeup.poll(() -> consumer.poll(Duration.ofSeconds(30))));
      Thread.sleep(500);
      wakeup.stop();

      assertThat(polled.get(20, TimeUnit.SECONDS)).isEmpty();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
    }
  }

  @Test
  void after_stop_the_loop_polls_no_more() {
    PollWakeup wakeup = new PollWakeup(new MockConsumer<byte[], byte[]>("earliest"));
    wakeup.stop();

    assertThat(wakeup.poll(() -> fail("polled after stop"))).isEmpty();
  }

  @Test
  void a_wakeup_that_arrives_as_the_poll_returns_is_absorbed_before_any_other_call() {
    MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
    PollWakeup wakeup = new PollWakeup(consumer);
    wakeup.poll(
        () -> {
          wakeup.stop(); // the poll had its answer already: this wakeup is left pending
          return ConsumerRecords.empty();
        });

    wakeup.absorb(() -> consumer.poll(Duration.ZERO));

    assertThatCode(() -> consumer.poll(Duration.ZERO)).doesNotThrowAnyException();
  }

  @Test
  void with_no_wakeup_pending_absorb_asks_the_consumer_nothing() {
    PollWakeup wakeup = new PollWakeup(new MockConsumer<byte[], byte[]>("earliest"));
    wakeup.stop(); // not polling: no wakeup sent

    wakeup.absorb(() -> fail("polled with no wakeup pending"));
  }
}
