package io.pgfleet.worker;

import static org.awaitility.Awaitility.await;

import io.pgfleet.commands.result.Outcome;
import io.pgfleet.commands.result.ResultEvent;
import io.pgfleet.commands.wire.ResultCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads a topic from its beginning in the background, as an audit consumer would. */
public final class ResultStream implements AutoCloseable {
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final List<ConsumerRecord<byte[], byte[]>> records = new CopyOnWriteArrayList<>();
  private final Thread thread;
  private volatile boolean stopped;

  public ResultStream(String bootstrapServers, String topic) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    // Terminal results are published in transactions: read_committed sees each exactly once.
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    consumer = new KafkaConsumer<>(props);
    TopicPartition tp = new TopicPartition(topic, 0);
    consumer.assign(List.of(tp));
    consumer.seekToBeginning(List.of(tp));
    thread =
        new Thread(
            () -> {
              try {
                while (!stopped) {
                  consumer.poll(Duration.ofMillis(100)).forEach(records::add);
                }
              } catch (WakeupException ignored) {
                // closing
              } finally {
                consumer.close();
              }
            },
            "test-results-" + topic);
    thread.setDaemon(true);
    thread.start();
  }

  public List<ConsumerRecord<byte[], byte[]>> records() {
    return new ArrayList<>(records);
  }

  public List<ResultEvent> events() {
    ResultCodec codec = new ResultCodec();
    return records.stream().map(r -> codec.decode(r.value())).toList();
  }

  public List<ResultEvent> eventsFor(String commandId) {
    return events().stream().filter(e -> commandId.equals(e.data().commandId())).toList();
  }

  /** Waits for the command's terminal event (or its count of terminal events) and returns it. */
  public ResultEvent awaitTerminal(String commandId) {
    return awaitEvent(e -> commandId.equals(e.data().commandId()) && e.outcome().isTerminal());
  }

  public ResultEvent awaitEvent(Predicate<ResultEvent> match) {
    return await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> events().stream().filter(match).findFirst(), java.util.Optional::isPresent)
        .orElseThrow();
  }

  public List<ResultEvent> awaitCount(Predicate<ResultEvent> match, int count) {
    return awaitCount(match, count, Duration.ofSeconds(90));
  }

  public List<ResultEvent> awaitCount(Predicate<ResultEvent> match, int count, Duration timeout) {
    return await()
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(50))
        .until(() -> events().stream().filter(match).toList(), l -> l.size() >= count);
  }

  public static Predicate<ResultEvent> outcome(String commandId, Outcome outcome) {
    return e -> commandId.equals(e.data().commandId()) && e.outcome() == outcome;
  }

  @Override
  public void close() throws InterruptedException {
    stopped = true;
    consumer.wakeup();
    thread.join(5_000);
  }
}
