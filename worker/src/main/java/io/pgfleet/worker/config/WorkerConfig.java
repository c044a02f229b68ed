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
    SecuritySettings security,
    Map<String, TargetConfig> targets) {

  public WorkerConfig {
    targets = Map.copyOf(targets);
  }

  public Optional<TargetConfig> target(String name) {
    return Optional.ofNullable(targets.get(name));
  }
}
