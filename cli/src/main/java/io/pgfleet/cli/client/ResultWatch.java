package io.pgfleet.cli.client;

import io.pgfleet.commands.result.ResultEvent;
import io.pgfleet.commands.wire.ResultCodec;
import io.pgfleet.commands.wire.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Follows the results topic from "now" without joining a consumer group: opened before a command is
 * published, it cannot miss the command's result.
 */
public final class ResultWatch implements AutoCloseable {
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final ResultCodec codec = new ResultCodec();

  public ResultWatch(String bootstrapServers, Topics topics, Map<String, String> properties) {
    Properties props = new Properties();
    props.putAll(properties);
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    // Terminal results are published in transactions: read_committed sees each exactly once.
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    consumer = new KafkaConsumer<>(props);
    List<TopicPartition> partitions =
        consumer.partitionsFor(topics.results(), Duration.ofSeconds(15)).stream()
            .map(p -> new TopicPartition(p.topic(), p.partition()))
            .toList();
    if (partitions.isEmpty()) {
      throw new IllegalStateException(
          "topic "
              + topics.results()
              + " does not exist: is a pgfleet worker running against "
              + bootstrapServers
              + "?");
    }
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    partitions.forEach(consumer::position); // fix the starting point now, before publishing
  }

  /**
   * Passes every event to {@code each} until one matches {@code last}, or the time is up.
   *
   * @return the matching event, or empty on timeout
   */
  public Optional<ResultEvent> follow(
      Predicate<ResultEvent> last, Consumer<ResultEvent> each, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      for (var record : consumer.poll(Duration.ofMillis(200))) {
        ResultEvent event;
        try {
          event = codec.decode(record.value());
        } catch (IllegalArgumentException e) {
          continue; // not a pgfleet result: not ours to show
        }
        each.accept(event);
        if (last.test(event)) {
          return Optional.of(event);
        }
      }
    }
    return Optional.empty();
  }

  @Override
  public void close() {
    consumer.close();
  }
}
