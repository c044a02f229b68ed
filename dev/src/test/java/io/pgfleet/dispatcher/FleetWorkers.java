package io.pgfleet.dispatcher;

import io.pgfleet.commands.Operation;
import io.pgfleet.local.SampleFleet.SampleDatabase;
import io.pgfleet.runtime.config.Secret;
import io.pgfleet.worker.Worker;
import io.pgfleet.worker.config.DiscoverySource;
import io.pgfleet.worker.config.RunSettings;
import io.pgfleet.worker.config.SecuritySettings;
import io.pgfleet.worker.config.StorageSettings;
import io.pgfleet.worker.config.TargetConfig;
import io.pgfleet.worker.config.WorkerConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Workers for a dispatcher's {@link TestFleet}: here, since the dispatcher's tests never see one.
 */
final class FleetWorkers {
  private FleetWorkers() {}

  static Worker start(TestFleet fleet, String workerId, Clock clock) {
    Map<String, TargetConfig> targets = new LinkedHashMap<>();
    for (SampleDatabase db : fleet.databases()) {
      targets.put(
          db.name(),
          TargetConfig.builder(db.name())
              .host(fleet.stack.postgres().host())
              .port(fleet.stack.postgres().port())
              .user(db.owner())
              .password(Secret.literal(db.password()))
              .sslMode("disable")
              .operations(EnumSet.allOf(Operation.class))
              .build());
    }
    return fleet.add(Worker.start(config(fleet, workerId, targets), clock));
  }

  /** A worker without configured targets, serving what {@code source} discovers. */
  static Worker startDiscovering(TestFleet fleet, String workerId, DiscoverySource source) {
    return fleet.add(
        Worker.start(config(fleet, workerId, Map.of()).withDiscovery(List.of(source))));
  }

  private static WorkerConfig config(
      TestFleet fleet, String workerId, Map<String, TargetConfig> targets) {
    return new WorkerConfig(
        workerId,
        fleet.kafka("workers"),
        fleet.ledger(),
        new StorageSettings(
            fleet.stack.s3().endpoint(),
            fleet.stack.s3().region(),
            fleet.bucket,
            "backups",
            true,
            Secret.literal(fleet.stack.s3().accessKey()),
            Secret.literal(fleet.stack.s3().secretKey()),
            StorageSettings.MIN_PART_SIZE,
            0),
        new RunSettings(
            Duration.ofSeconds(10),
            2,
            Duration.ofMillis(200),
            Duration.ofSeconds(20),
            3,
            Duration.ofMillis(300)),
        SecuritySettings.defaults(),
        targets);
  }
}
