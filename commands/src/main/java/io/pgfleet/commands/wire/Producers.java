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
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    props.put(ProducerConfig.LINGER_MS_CONFIG, "2");
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    props.putAll(kafkaProperties);
    return new KafkaProducer<>(props);
  }
}
