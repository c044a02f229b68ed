package io.pgfleet.bench;

import io.pgfleet.commands.result.ResultEvent;
import io.pgfleet.commands.wire.ResultCodec;
import io.pgfleet.commands.wire.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads the results topic from "now", to wait for the terminal event of one command. */
public final class ResultWait implements AutoCloseable {
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final ResultCodec codec = new ResultCodec();

  public ResultWait(String bootstrapServers, Topics topics) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    // Terminal results are published in transactions: read_committed sees each exactly once.
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    consumer = new KafkaConsumer<>(props);
    List<TopicPartition> partition = List.of(new TopicPartition(topics.results(), 0));
    consumer.assign(partition);
    consumer.seekToEnd(partition);
    consumer.position(partition.get(0)); // fix the starting point before anything is published
  }

  /** The command's terminal event; fails when none arrives within {@code timeout}. */
  public ResultEvent terminal(String commandId, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      for (var record : consumer.poll(Duration.ofMillis(100))) {
        ResultEvent event = codec.decode(record.value());
        if (commandId.equals(event.data().commandId()) && event.outcome().isTerminal()) {
          return event;
        }
      }
    }
    throw new IllegalStateException("no result for command " + commandId + " within " + timeout);
  }

  /** A terminal event and when this reader received it ({@link System#nanoTime()}). */
  public record Arrival(ResultEvent event, long nanos) {}

  /**
   * The terminal events of all {@code commandIds}, by command id; fails when one is missing after
   * {@code timeout}.
   */
  public Map<String, Arrival> terminals(Collection<String> commandIds, Duration timeout) {
    Set<String> waiting = new HashSet<>(commandIds);
    Map<String, Arrival> arrived = new HashMap<>();
    Instant deadline = Instant.now().plus(timeout);
    while (!waiting.isEmpty()) {
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException(
            waiting.size() + " commands without a result within " + timeout);
      }
      ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
      long now = System.nanoTime();
      for (var record : records) {
        ResultEvent event = codec.decode(record.value());
        if (event.outcome().isTerminal() && waiting.remove(event.data().commandId())) {
          arrived.put(event.data().commandId(), new Arrival(event, now));
        }
      }
    }
    return arrived;
  }

  @Override
  public void close() {
    consumer.close();
  }
}
