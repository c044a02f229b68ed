package io.pgfleet.worker.config;

import io.pgfleet.runtime.config.KafkaSettings;
import io.pgfleet.runtime.config.LedgerSettings;
import io.pgfleet.runtime.config.MetricsSettings;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Everything a worker needs, checked once when it is built. */
public record WorkerConfig(
    String workerId,
    KafkaSettings kafka,
    LedgerSettings ledger,
    StorageSettings storage,
    RunSettings runs,
    SecuritySettings security,
    Map<String, TargetConfig> targets,
    EncryptionKeys encryption,
    MetricsSettings metrics,
    List<DiscoverySource> discovery) {

  public WorkerConfig {
    int needed = LedgerSettings.poolSizeFor(runs.maxConcurrentRuns());
    if (ledger.poolSize() < needed) {
      throw new IllegalArgumentException(
          "ledger.poolSize "
              + ledger.poolSize()
              + " is too small for runs.maxConcurrent "
              + runs.maxConcurrentRuns()
              + ": each running run holds a ledger connection for its target lock, and claims,"
              + " leases and results need more; set ledger.poolSize to at least "
              + needed
              + " (or leave it out)");
    }
    targets = Map.copyOf(targets);
    security = security == null ? SecuritySettings.defaults() : security;
    encryption = encryption == null ? EncryptionKeys.NONE : encryption;
    metrics = metrics == null ? MetricsSettings.DISABLED : metrics;
    discovery = discovery == null ? List.of() : List.copyOf(discovery);
  }

  /** A worker whose targets are all configured (no discovery). */
  public WorkerConfig(
      String workerId,
      KafkaSettings kafka,
      LedgerSettings ledger,
      StorageSettings storage,
      RunSettings runs,
      SecuritySettings security,
      Map<String, TargetConfig> targets,
      EncryptionKeys encryption,
      MetricsSettings metrics) {
    this(workerId, kafka, ledger, storage, runs, security, targets, encryption, metrics, List.of());
  }

  /** A worker without the metrics and health endpoint. */
  public WorkerConfig(
      String workerId,
      KafkaSettings kafka,
      LedgerSettings ledger,
      StorageSettings storage,
      RunSettings runs,
      SecuritySettings security,
      Map<String, TargetConfig> targets,
      EncryptionKeys encryption) {
    this(workerId, kafka, ledger, storage, runs, security, targets, encryption, null);
  }

  /** The same worker with its metrics and health endpoint on {@code metrics}. */
  public WorkerConfig withMetrics(MetricsSettings metrics) {
    return new WorkerConfig(
        workerId, kafka, ledger, storage, runs, security, targets, encryption, metrics, discovery);
  }

  /** The same worker serving {@code targets} instead of its own. */
  public WorkerConfig withTargets(Map<String, TargetConfig> targets) {
    return new WorkerConfig(
        workerId, kafka, ledger, storage, runs, security, targets, encryption, metrics, discovery);
  }

  /** The same worker, also serving the databases {@code discovery} finds. */
  public WorkerConfig withDiscovery(List<DiscoverySource> discovery) {
    return new WorkerConfig(
        workerId, kafka, ledger, storage, runs, security, targets, encryption, metrics, discovery);
  }

  /** A worker without backup encryption keys. */
  public WorkerConfig(
      String workerId,
      KafkaSettings kafka,
      LedgerSettings ledger,
      StorageSettings storage,
      RunSettings runs,
      SecuritySettings security,
      Map<String, TargetConfig> targets) {
    this(workerId, kafka, ledger, storage, runs, security, targets, EncryptionKeys.NONE);
  }

  public Optional<TargetConfig> target(String name) {
    return Optional.ofNullable(targets.get(name));
  }
}
