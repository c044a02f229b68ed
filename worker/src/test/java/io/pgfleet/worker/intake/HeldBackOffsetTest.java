package io.pgfleet.worker.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgfleet.commands.wire.Topics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * The results transaction of the intake loop around a rejection Kafka did not take at once (no
 * server): the offset goes only in the transaction that carries the rejection.
 */
class HeldBackOffsetTest {
  private final Topics topics = Topics.defaults();

  @Test
  void an_offset_is_committed_only_in_the_transaction_that_carries_its_rejection() {
    String topic = topics.commands("orders_db");
    TopicPartition tp = new TopicPartition(topic, 0);
    MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
    consumer.updateBeginningOffsets(Map.of(tp, 0L));
    AtomicBoolean kafkaRefuses = new AtomicBoolean(true);
    MockProducer<byte[], byte[]> producer =
        new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer()) {
          @Override
          public synchronized Future<RecordMetadata> send(
              ProducerRecord<byte[], byte[]> record, Callback callback) {
            if (kafkaRefuses.get()) {
              throw new KafkaException("the broker is away");
            }
            return super.send(record, callback);
          }
        };
    AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
    Clock clock = new MovableClock(now);
    try (MockIntake intake =
        new MockIntake(consumer, producer, topics, tp, clock, Duration.ofSeconds(1))) {
      await("the transaction was tried and aborted")
          .atMost(Duration.ofSeconds(10))
          .until(producer::transactionAborted);
      assertThat(producer.consumerGroupOffsetsHistory()).isEmpty();
      assertThat(producer.history()).isEmpty();

      kafkaRefuses.set(false);
      now.set(now.get().plusSeconds(6)); // past the rejection's retry time

      await("the rejection is on Kafka and its offset committed with it")
          .atMost(Duration.ofSeconds(10))
          .until(() -> committed(producer, tp) == 1L);
      assertThat(producer.history()).hasSize(2); // its DLQ copy and its run.rejected event
    }
  }

  private static long committed(MockProducer<byte[], byte[]> producer, TopicPartition tp) {
    return producer.consumerGroupOffsetsHistory().stream()
        .flatMap(byGroup -> byGroup.values().stream())
        .map(offsets -> offsets.get(tp))
        .filter(java.util.Objects::nonNull)
        .mapToLong(OffsetAndMetadata::offset)
        .max()
        .orElse(-1);
  }

  /** A clock the test moves forward. */
  private static final class MovableClock extends Clock {
    private final AtomicReference<Instant> now;

    MovableClock(AtomicReference<Instant> now) {
      this.now = now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now.get();
    }
  }
}
