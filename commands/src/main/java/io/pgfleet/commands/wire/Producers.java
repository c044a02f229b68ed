package io.pgfleet.commands.wire;

import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** The one producer configuration pgfleet uses: string keys (targets), CloudEvent bytes. */
public final class Producers {
  private Producers() {}

  /**
   * An idempotent producer with {@code acks=all}: a send Kafka acknowledged is on every in-sync
   * replica, and a retried send is not written twice.
   *
   * @param kafkaProperties extra client settings (security, timeouts); they win over defaults
   */
  public static Producer<String, byte[]> idempotent(
      String bootstrapServers, Map<String, String> kafkaProperties) {
    return new KafkaProducer<>(properties(bootstrapServers, kafkaProperties));
  }

  /** {@link #idempotent} with keys as bytes: copies records whose key may not be UTF-8. */
  public static Producer<byte[], byte[]> idempotentBytes(
      String bootstrapServers, Map<String, String> kafkaProperties) {
    Properties props = properties(bootstrapServers, kafkaProperties);
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    return new KafkaProducer<>(props);
  }

  /**
   * {@link #idempotentBytes} that writes in Kafka transactions under {@code transactionalId}: a new
   * producer with the same id fences the old one. A transaction left open by a crash is aborted
   * after {@code transaction.timeout.ms} (10 s unless the properties say otherwise), and until then
   * read_committed consumers of its partitions wait.
   */
  public static Producer<byte[], byte[]> transactionalBytes(
      String bootstrapServers, Map<String, String> kafkaProperties, String transactionalId) {
    Properties props = properties(bootstrapServers, Map.of());
    props.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "10000");
    props.putAll(kafkaProperties);
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    return new KafkaProducer<>(props);
  }

  /** The largest record a producer with these settings sends (Kafka's max.request.size). */
  public static int maxRequestSize(Map<String, String> kafkaProperties) {
    return Integer.parseInt(
        kafkaProperties.getOrDefault(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, "1048576"));
  }

  private static Properties properties(
      String bootstrapServers, Map<String, String> kafkaProperties) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    props.put(ProducerConfig.LINGER_MS_CONFIG, "2");
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    props.putAll(kafkaProperties);
    return props;
  }
}
