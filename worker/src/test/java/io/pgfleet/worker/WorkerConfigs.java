package io.pgfleet.worker;

import io.pgfleet.runtime.config.KafkaSettings;
import io.pgfleet.worker.config.RunSettings;
import io.pgfleet.worker.config.StorageSettings;
import io.pgfleet.worker.config.WorkerConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A worker config with one part changed, for tests that bend a worker (the metrics tests and the
 * fault suite share these).
 */
public final class WorkerConfigs {
  private WorkerConfigs() {}

  /** Limits upload bandwidth, so that a run lasts long enough to watch or to break. */
  public static WorkerConfig throttled(WorkerConfig c, long bytesPerSecond) {
    StorageSettings s = c.storage();
    return with(
        c,
        c.kafka(),
        new StorageSettings(
            s.endpoint(),
            s.region(),
            s.bucket(),
            s.prefix(),
            s.pathStyle(),
            s.accessKey(),
            s.secretKey(),
            s.partSizeBytes(),
            bytesPerSecond),
        c.runs());
  }

  /** {@code tries} attempts {@code backoff} apart, with a short lease and heartbeat. */
  public static WorkerConfig retries(WorkerConfig c, int tries, Duration backoff) {
    RunSettings r = c.runs();
    return with(
        c,
        c.kafka(),
        c.storage(),
        new RunSettings(
            Duration.ofSeconds(10),
            r.maxConcurrentRuns(),
            Duration.ofMillis(300),
            r.shutdownGrace(),
            tries,
            backoff));
  }

  /** The same Kafka with more client properties. */
  public static WorkerConfig kafka(WorkerConfig c, Map<String, String> properties) {
    KafkaSettings k = c.kafka();
    Map<String, String> all = new HashMap<>(k.properties());
    all.putAll(properties);
    return kafka(c, new KafkaSettings(k.bootstrapServers(), k.topics(), k.groupId(), all));
  }

  public static WorkerConfig kafka(WorkerConfig c, KafkaSettings kafka) {
    return with(c, kafka, c.storage(), c.runs());
  }

  private static WorkerConfig with(
      WorkerConfig c, KafkaSettings kafka, StorageSettings storage, RunSettings runs) {
    return new WorkerConfig(
        c.workerId(),
        kafka,
        c.ledger(),
        storage,
        runs,
        c.security(),
        c.targets(),
        c.encryption(),
        c.metrics());
  }
}
