package io.pgfleet.cli.faults;

import io.pgfleet.worker.config.KafkaSettings;
import io.pgfleet.worker.config.RunSettings;
import io.pgfleet.worker.config.SecuritySettings;
import io.pgfleet.worker.config.StorageSettings;
import io.pgfleet.worker.config.StorageTimeouts;
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

  /** Points the worker's S3 client at {@code endpoint}, giving up on it after {@code timeouts}. */
  static WorkerConfig storeAt(WorkerConfig c, java.net.URI endpoint, StorageTimeouts timeouts) {
    StorageSettings s = c.storage();
    return new WorkerConfig(
        c.workerId(),
        c.kafka(),
        c.ledger(),
        new StorageSettings(
            endpoint,
            s.region(),
            s.bucket(),
            s.prefix(),
            s.pathStyle(),
            s.accessKey(),
            s.secretKey(),
            s.partSizeBytes(),
            s.maxBytesPerSecond(),
            timeouts),
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

  /** The config with other Kafka, run or security settings; null keeps the config's own. */
  static WorkerConfig with(
      WorkerConfig c, KafkaSettings kafka, RunSettings runs, SecuritySettings security) {
    return new WorkerConfig(
        c.workerId(),
        kafka == null ? c.kafka() : kafka,
        c.ledger(),
        c.storage(),
        runs == null ? c.runs() : runs,
        security == null ? c.security() : security,
        c.targets(),
        c.encryption(),
        c.metrics());
  }

  /** Commands without expiresat expire this long after their time. */
  static RunSettings maxCommandAge(RunSettings r, Duration age) {
    return new RunSettings(
        r.leaseTtl(),
        r.maxConcurrentRuns(),
        r.progressInterval(),
        r.shutdownGrace(),
        r.tries(),
        r.retryBackoff(),
        age);
  }
}
