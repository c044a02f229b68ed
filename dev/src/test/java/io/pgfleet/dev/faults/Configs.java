package io.pgfleet.dev.faults;

import io.pgfleet.worker.config.KafkaSettings;
import io.pgfleet.worker.config.RunSettings;
import io.pgfleet.worker.config.StorageSettings;
import io.pgfleet.worker.config.WorkerConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** Adjustments of a local worker config for fault scenarios. */
final class Configs {
  private Configs() {}

  /** Limits upload bandwidth, so that a run lasts long enough to break something during it. */
  static WorkerConfig throttled(WorkerConfig c, long bytesPerSecond) {
    StorageSettings s = c.storage();
    return new WorkerConfig(
        c.workerId(),
        c.kafka(),
        c.ledger(),
        new StorageSettings(
            s.endpoint(),
            s.region(),
            s.bucket(),
            s.prefix(),
            s.pathStyle(),
            s.accessKey(),
            s.secretKey(),
            StorageSettings.MIN_PART_SIZE,
            bytesPerSecond),
        c.runs(),
        c.security(),
        c.targets());
  }

  static WorkerConfig retries(WorkerConfig c, int tries, Duration backoff) {
    RunSettings r = c.runs();
    return new WorkerConfig(
        c.workerId(),
        c.kafka(),
        c.ledger(),
        c.storage(),
        new RunSettings(
            Duration.ofSeconds(10),
            r.maxConcurrentRuns(),
            Duration.ofMillis(300),
            r.shutdownGrace(),
            tries,
            backoff),
        c.security(),
        c.targets());
  }

  static WorkerConfig kafka(WorkerConfig c, Map<String, String> properties) {
    KafkaSettings k = c.kafka();
    Map<String, String> all = new HashMap<>(k.properties());
    all.putAll(properties);
    return new WorkerConfig(
        c.workerId(),
        new KafkaSettings(k.bootstrapServers(), k.topics(), k.groupId(), all),
        c.ledger(),
        c.storage(),
        c.runs(),
        c.security(),
        c.targets());
  }
}
