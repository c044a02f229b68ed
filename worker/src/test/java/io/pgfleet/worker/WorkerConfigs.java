package io.pgfleet.worker;

import io.pgfleet.runtime.config.KafkaSettings;
import io.pgfleet.worker.config.RunSettings;
import io.pgfleet.worker.config.SecuritySettings;
import io.pgfleet.worker.config.StorageSettings;
import io.pgfleet.worker.config.StorageTimeouts;
import io.pgfleet.worker.config.WorkerConfig;
import java.net.URI;
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
            bytesPerSecond,
            s.timeouts()),
        c.runs());
  }

  /** Points the worker's S3 client at {@code endpoint}, giving up on it after {@code timeouts}. */
  public static WorkerConfig storeAt(WorkerConfig c, URI endpoint, StorageTimeouts timeouts) {
    StorageSettings s = c.storage();
    return with(
        c,
        c.kafka(),
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
        c.runs());
  }

  /** The config with other Kafka, run or security settings; null keeps the config's own. */
  public static WorkerConfig with(
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
  public static RunSettings maxCommandAge(RunSettings r, Duration age) {
    return new RunSettings(
        r.leaseTtl(),
        r.maxConcurrentRuns(),
        r.progressInterval(),
        r.shutdownGrace(),
        r.tries(),
        r.retryBackoff(),
        age);
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

  public static WorkerConfig storage(WorkerConfig c, StorageSettings storage) {
    return with(c, c.kafka(), storage, c.runs());
  }

  public static WorkerConfig kafka(WorkerConfig c, KafkaSettings kafka) {
    return with(c, kafka, c.storage(), c.runs());
  }

  /** The config with another store. */
  public static WorkerConfig withStorage(WorkerConfig c, StorageSettings storage) {
    return with(c, c.kafka(), storage, c.runs());
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
