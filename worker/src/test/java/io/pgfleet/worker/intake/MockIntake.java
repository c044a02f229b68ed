package io.pgfleet.worker.intake;

import io.pgfleet.commands.wire.Topics;
import io.pgfleet.worker.config.RunSettings;
import io.pgfleet.worker.config.SecuritySettings;
import io.pgfleet.worker.metrics.WorkerMetrics;
import io.pgfleet.worker.result.ResultPublisher;
import io.pgfleet.worker.result.ResultTransactions;
import io.pgfleet.worker.run.RunExecutor;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * An intake loop on Kafka's mock clients, running on its own thread: worker {@code w1} with no
 * target to run, results in {@code producer}'s transactions, and on partition {@code tp} one record
 * that is not a command (so the loop rejects it).
 */
final class MockIntake implements AutoCloseable {
  private final CommandLoop loop;
  private final RunExecutor executor;

  MockIntake(
      MockConsumer<byte[], byte[]> consumer,
      MockProducer<byte[], byte[]> producer,
      Topics topics,
      TopicPartition tp,
      Clock clock,
      Duration idlePoll) {
    WorkerMetrics metrics = new WorkerMetrics();
    executor = new RunExecutor("w1", null, null, null, RunSettings.defaults(), metrics, clock);
    loop =
        new CommandLoop(
            consumer,
            Subscription.fixed(List.of(tp.topic())),
            new Admission(topics, Map.of(), Map.of(), SecuritySettings.defaults()),
            executor,
            new ResultPublisher(
                new MockProducer<>(
                    true, null, new ByteArraySerializer(), new ByteArraySerializer()),
                topics),
            new ResultTransactions(() -> producer, topics, null, 1024 * 1024),
            "w1",
            clock,
            Duration.ofSeconds(1),
            idlePoll,
            metrics);
    consumer.schedulePollTask(
        () -> {
          consumer.rebalance(List.of(tp));
          consumer.addRecord(
              new ConsumerRecord<>(
                  tp.topic(), 0, 0L, null, "not a command".getBytes(StandardCharsets.UTF_8)));
        });
    new Thread(loop, "intake-under-test").start();
  }

  @Override
  public void close() {
    loop.stop();
    executor.close();
  }
}
