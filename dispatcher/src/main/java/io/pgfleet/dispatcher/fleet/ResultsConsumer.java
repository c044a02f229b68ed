package io.pgfleet.dispatcher.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgfleet.commands.result.Outcome;
import io.pgfleet.commands.wire.Json;
import io.pgfleet.dispatcher.metrics.DispatcherMetrics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code pgfleet.results} in the dispatcher's own consumer group and applies every event to
 * the {@link Projection}; offsets are committed only after the events are in the database, and
 * applying an event twice changes nothing, so no event is lost or counted twice.
 */
public final class ResultsConsumer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ResultsConsumer.class);
  private static final Duration RETRY = Duration.ofSeconds(2);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Projection projection;
  private final DispatcherMetrics metrics;
  private final Thread thread;
  private volatile boolean stopped;

  public ResultsConsumer(
      String bootstrapServers,
      String topic,
      String groupId,
      Map<String, String> properties,
      Projection projection,
      DispatcherMetrics metrics) {
    Properties props = new Properties();
    props.putAll(properties);
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    // Terminal results are published in transactions: read_committed sees each exactly once.
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    this.consumer = new KafkaConsumer<>(props);
    this.projection = projection;
    this.metrics = metrics;
    consumer.subscribe(List.of(topic));
    this.thread = new Thread(this::loop, "pgfleet-results-projection");
    thread.setDaemon(true);
    thread.start();
  }

  private void loop() {
    try {
      while (!stopped) {
        var records = consumer.poll(Duration.ofMillis(250));
        if (records.isEmpty()) {
          continue;
        }
        try {
          for (ConsumerRecord<byte[], byte[]> record : records) {
            apply(record);
          }
          consumer.commitSync();
        } catch (FleetStoreException e) {
          log.warn("results projection paused, will re-read: {}", e.getMessage());
          rewind();
          sleep();
        }
      }
    } catch (WakeupException e) {
      // closing
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  private void apply(ConsumerRecord<byte[], byte[]> record) {
    JsonNode event;
    try {
      event = Json.mapper().readTree(record.value());
    } catch (Exception e) {
      log.debug("skipping a record that is not JSON at offset {}", record.offset());
      return;
    }
    if (event != null && event.isObject() && projection.apply(event)) {
      Outcome.fromEventType(event.path("type").asText())
          .ifPresent(o -> metrics.projected(o.wireName()));
    }
  }

  /** Goes back to the last committed offsets, so a failed batch is read again. */
  private void rewind() {
    var committed = consumer.committed(consumer.assignment());
    for (var partition : consumer.assignment()) {
      var offset = committed.get(partition);
      if (offset == null) {
        consumer.seekToBeginning(List.of(partition));
      } else {
        consumer.seek(partition, offset.offset());
      }
    }
  }

  private static void sleep() {
    try {
      Thread.sleep(RETRY.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    stopped = true;
    consumer.wakeup();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
