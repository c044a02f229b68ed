package io.pgfleet.cli.client;

import io.pgfleet.commands.wire.Topics;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** How a client command reaches Kafka. */
public final class KafkaOptions {
  @Option(
      names = {"-b", "--bootstrap-servers"},
      defaultValue = "${env:PGFLEET_KAFKA_BOOTSTRAP_SERVERS:-localhost:9092}",
      description =
          "Kafka bootstrap servers (env PGFLEET_KAFKA_BOOTSTRAP_SERVERS; default: ${DEFAULT-VALUE})")
  String bootstrapServers;

  @Option(
      names = "--topic-prefix",
      defaultValue = "${env:PGFLEET_TOPIC_PREFIX:-pgfleet}",
      description = "Topic prefix (default: ${DEFAULT-VALUE})")
  String topicPrefix;

  @Option(
      names = {"-X", "--kafka-property"},
      paramLabel = "KEY=VALUE",
      description = "Extra Kafka client setting, e.g. -X security.protocol=SASL_SSL (repeatable)")
  Map<String, String> properties = new LinkedHashMap<>();

  public String bootstrapServers() {
    return bootstrapServers;
  }

  public Topics topics() {
    return new Topics(topicPrefix);
  }

  /** Client settings; a missing topic fails fast instead of blocking for a minute. */
  public Map<String, String> clientProperties() {
    Map<String, String> props = new LinkedHashMap<>();
    props.put("max.block.ms", "15000");
    props.putAll(properties);
    return props;
  }
}
