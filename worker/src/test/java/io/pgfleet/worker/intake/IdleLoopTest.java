package io.pgfleet.worker.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgfleet.commands.wire.Topics;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** What the intake loop does on the polls that return nothing. */
class IdleLoopTest {
  private final Topics topics = Topics.defaults();

  @Test
  void a_partition_resumed_after_its_last_command_is_not_resumed_again_by_the_idle_polls() {
    String topic = topics.commands("orders_db");
    TopicPartition tp = new TopicPartition(topic, 0);
    AtomicInteger resumed = new AtomicInteger();
    AtomicInteger polls = new AtomicInteger();
    MockConsumer<byte[], byte[]> consumer =
        new MockConsumer<>("earliest") {
          @Override
          public synchronized void resume(Collection<TopicPartition> partitions) {
            if (partitions.contains(tp)) {
              resumed.incrementAndGet();
            }
            super.resume(partitions);
          }

          @Override
          public synchronized ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
            polls.incrementAndGet();
            return super.poll(timeout);
          }
        };
    consumer.updateBeginningOffsets(Map.of(tp, 0L));
    MockProducer<byte[], byte[]> producer =
        new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    try (MockIntake intake =
        new MockIntake(consumer, producer, topics, tp, Clock.systemUTC(), Duration.ofMillis(1))) {
      await("the rejection's transaction was committed")
          .atMost(Duration.ofSeconds(10))
          .until(() -> !producer.consumerGroupOffsetsHistory().isEmpty());
      int after = polls.get();
      await("a hundred idle polls")
          .atMost(Duration.ofSeconds(10))
          .until(() -> polls.get() > after + 100);
      assertThat(resumed).hasValue(1);
    }
  }
}
