package io.pgfleet.runtime.config;

import io.pgfleet.commands.wire.Topics;
import java.util.Map;

/** The sections the worker and the dispatcher share, as written in their files. */
public final class CommonSections {
  private CommonSections() {}

  /** {@code kafka:}; the group defaults per process. */
  public record KafkaFile(
      String bootstrapServers, String topicPrefix, String groupId, Map<String, Object> properties) {
    public KafkaSettings settings(String defaultGroup) {
      Map<String, String> props = new java.util.LinkedHashMap<>();
      if (properties != null) {
        properties.forEach((k, v) -> props.put(k, String.valueOf(v)));
      }
      return new KafkaSettings(
          bootstrapServers,
          new Topics(topicPrefix == null ? Topics.DEFAULT_PREFIX : topicPrefix),
          groupId == null ? defaultGroup : groupId,
          props);
    }
  }

  /** {@code ledger:}; the pool size defaults per process. */
  public record LedgerFile(String url, String user, Secret password, Integer poolSize) {
    public LedgerSettings settings(int defaultPoolSize) {
      return new LedgerSettings(url, user, password, poolSize == null ? defaultPoolSize : poolSize);
    }
  }

  /** {@code metrics:}; off unless enabled. */
  public record MetricsFile(Boolean enabled, Integer port, java.time.Duration workerGroupsEvery) {
    public MetricsSettings settings(int defaultPort) {
      if (!Boolean.TRUE.equals(enabled)) {
        return MetricsSettings.DISABLED;
      }
      return new MetricsSettings(port == null ? defaultPort : port, workerGroupsEvery);
    }
  }
}
