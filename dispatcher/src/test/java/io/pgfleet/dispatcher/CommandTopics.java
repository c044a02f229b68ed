package io.pgfleet.dispatcher;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgfleet.commands.wire.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads every command a fleet's command topics hold, from the beginning: what was really sent. */
final class CommandTopics {
  private CommandTopics() {}

  static List<JsonNode> readAll(String bootstrapServers, String topicPrefix) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    List<JsonNode> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
      Pattern commands = Pattern.compile(Pattern.quote(topicPrefix + ".commands.") + ".+");
      List<TopicPartition> partitions = new ArrayList<>();
      consumer
          .listTopics(Duration.ofSeconds(15))
          .forEach(
              (topic, infos) -> {
                if (commands.matcher(topic).matches()) {
                  infos.forEach(i -> partitions.add(new TopicPartition(topic, i.partition())));
                }
              });
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
          && System.nanoTime() < deadline) {
        for (var record : consumer.poll(Duration.ofMillis(200))) {
          try {
            out.add(Json.mapper().readTree(record.value()));
          } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
          }
        }
      }
    }
    return out;
  }
}
