package io.pgfleet.worker.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgfleet.commands.wire.Topics;
import io.pgfleet.worker.config.RunSettings;
import io.pgfleet.worker.config.SecuritySettings;
import io.pgfleet.worker.metrics.WorkerMetrics;
import io.pgfleet.worker.result.ResultPublisher;
import io.pgfleet.worker.run.RunExecutor;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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
 * The offset commit of the intake loop around a rejection Kafka did not take at once (no server).
 */
class HeldBackOffsetTest {
  private final Topics topics = Topics.defaults();

  @Test
  void an_offset_held_back_behind_an_unsent_rejection_is_committed_once_the_rejection_is_sent() {
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
    WorkerMetrics metrics = new WorkerMetrics();
    RunExecutor executor =
        new RunExecutor("w1", null, null, null, RunSettings.defaults(), metrics, clock);
    CommandLoop loop =
        new CommandLoop(
            consumer,
            List.of(topic),
            new Admission(topics, Map.of(), Map.of(), SecuritySettings.defaults()),
            executor,
            new ResultPublisher(producer, topics, null, 1024 * 1024),
            "w1",
            clock,
            Duration.ofSeconds(1),
            metrics);
    consumer.schedulePollTask(
        () -> {
          consumer.rebalance(List.of(tp));
          consumer.addRecord(
              new ConsumerRecord<>(
                  topic, 0, 0L, null, "not a command".getBytes(StandardCharsets.UTF_8)));
        });
    Thread thread = new Thread(loop, "intake-under-test");
    thread.start();
    try {
      await("the rejection is held back at its own offset")
          .atMost(Duration.ofSeconds(10))
          .until(() -> committed(consumer, tp) == 0L);

      kafkaRefuses.set(false);
      now.set(now.get().plusSeconds(6)); // past the rejection's retry time

      await("the rejection is on Kafka and its offset committed")
          .atMost(Duration.ofSeconds(10))
          .until(() -> committed(consumer, tp) == 1L);
      assertThat(producer.history()).hasSize(2); // its DLQ copy and its run.rejected event
    } finally {
      loop.stop();
      executor.close();
    }
  }

  private static long committed(MockConsumer<byte[], byte[]> consumer, TopicPartition tp) {
    OffsetAndMetadata offset = consumer.committed(Set.of(tp)).get(tp);
    return offset == null ? -1 : offset.offset();
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
