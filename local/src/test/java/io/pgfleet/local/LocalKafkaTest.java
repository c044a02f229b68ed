package io.pgfleet.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalKafkaTest {

  @Test
  void aProducedRecordIsConsumedBack() throws Exception {
    LocalKafka kafka = LocalStack.shared().kafka();
    String topic = "round-trip-" + UUID.randomUUID();
    kafka.createTopic(topic, 1);

    produce(kafka, topic, "order_db", "vacuum");

    assertThat(consume(kafka, topic, 1)).containsExactly("order_db=vacuum");
  }

  @Test
  void aTopicIsAutoCreatedOnFirstProduce() throws Exception {
    LocalKafka kafka = LocalStack.shared().kafka();
    String topic = "auto-" + UUID.randomUUID();

    produce(kafka, topic, "k", "v");

    assertThat(consume(kafka, topic, 1)).containsExactly("k=v");
  }

  @Test
  void creatingAnExistingTopicIsNotAnError() {
    LocalKafka kafka = LocalStack.shared().kafka();
    String topic = "twice-" + UUID.randomUUID();
    kafka.createTopic(topic, 1);

    assertThatCode(() -> kafka.createTopic(topic, 1)).doesNotThrowAnyException();
  }

  @Test
  void recordsSurviveARestartOnTheSameAddress(@TempDir Path dir) throws Exception {
    try (LocalKafka kafka = LocalKafka.start(dir.resolve("kafka"))) {
      String bootstrap = kafka.bootstrapServers();
      kafka.createTopic("restart", 1);
      produce(kafka, "restart", "before", "1");

      kafka.restart();
      produce(kafka, "restart", "after", "2");

      assertThat(kafka.bootstrapServers()).isEqualTo(bootstrap);
      assertThat(consume(kafka, "restart", 2)).containsExactly("before=1", "after=2");
    }
    assertThat(dir.resolve("kafka")).doesNotExist();
  }

  private static void produce(LocalKafka kafka, String topic, String key, String value)
      throws Exception {
    Map<String, Object> config =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            kafka.bootstrapServers(),
            ProducerConfig.ACKS_CONFIG,
            "all");
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
      producer.send(new ProducerRecord<>(topic, key, value)).get();
    }
  }

  private static List<String> consume(LocalKafka kafka, String topic, int count) {
    Map<String, Object> config =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            kafka.bootstrapServers(),
            ConsumerConfig.GROUP_ID_CONFIG,
            "test-" + UUID.randomUUID(),
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "earliest");
    List<String> received = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (received.size() < count && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
          received.add(record.key() + "=" + record.value());
        }
      }
    }
    return received;
  }
}
