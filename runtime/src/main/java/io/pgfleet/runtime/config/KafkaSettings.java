package io.pgfleet.runtime.config;

import io.pgfleet.commands.wire.Topics;
import java.util.Map;

/**
 * @param properties passed to every Kafka client as they are (SASL, TLS, timeouts)
 */
public record KafkaSettings(
    String bootstrapServers, Topics topics, String groupId, Map<String, String> properties) {
  public static final String DEFAULT_GROUP = "pgfleet-workers";

  public KafkaSettings {
    properties = Map.copyOf(properties);
    groupId = groupId == null ? DEFAULT_GROUP : groupId;
  }
}
