package io.pgfleet.worker.config;

import java.util.Map;
import java.util.Optional;

/** Everything a worker needs, checked once when it is built. */
public record WorkerConfig(
    String workerId,
    KafkaSettings kafka,
    LedgerSettings ledger,
    StorageSettings storage,
    RunSettings runs,
    Map<String, TargetConfig> targets,
    EncryptionKeys encryption) {

  public WorkerConfig {
    targets = Map.copyOf(targets);
    encryption = encryption == null ? EncryptionKeys.NONE : encryption;
  }

  /** A worker without backup encryption keys. */
  public WorkerConfig(
      String workerId,
      KafkaSettings kafka,
      LedgerSettings ledger,
      StorageSettings storage,
      RunSettings runs,
      Map<String, TargetConfig> targets) {
    this(workerId, kafka, ledger, storage, runs, targets, EncryptionKeys.NONE);
  }

  public Optional<TargetConfig> target(String name) {
    return Optional.ofNullable(targets.get(name));
  }
}
