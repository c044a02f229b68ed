package io.pgfleet.cli;

import io.pgfleet.commands.Operation;
import io.pgfleet.commands.wire.Topics;
import io.pgfleet.local.LocalStack;
import io.pgfleet.local.SampleFleet.SampleDatabase;
import io.pgfleet.worker.config.KafkaSettings;
import io.pgfleet.worker.config.LedgerSettings;
import io.pgfleet.worker.config.RestoreSettings;
import io.pgfleet.worker.config.RunSettings;
import io.pgfleet.worker.config.Secret;
import io.pgfleet.worker.config.ServerLogin;
import io.pgfleet.worker.config.StorageSettings;
import io.pgfleet.worker.config.TargetConfig;
import io.pgfleet.worker.config.WorkerConfig;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A worker config for sample databases on a local stack, with the stack's generated secrets. */
final class LocalWorkerConfig {
  private LocalWorkerConfig() {}

  static WorkerConfig of(
      LocalStack stack,
      String workerId,
      Topics topics,
      String bucket,
      String ledgerDatabase,
      List<SampleDatabase> databases) {
    Map<String, TargetConfig> targets = new LinkedHashMap<>();
    for (SampleDatabase db : databases) {
      targets.put(
          db.name(),
          TargetConfig.builder(db.name())
              .host(stack.postgres().host())
              .port(stack.postgres().port())
              .user(db.owner())
              .password(Secret.literal(db.password()))
              .sslMode("disable")
              .operations(EnumSet.allOf(Operation.class))
              // drills and restores manage databases as the local superuser
              .restore(
                  new RestoreSettings(
                      false,
                      true,
                      true,
                      new ServerLogin(
                          null,
                          null,
                          stack.postgres().superuser(),
                          Secret.literal(stack.postgres().superuserPassword()),
                          "disable",
                          null),
                      null))
              .build());
    }
    return new WorkerConfig(
        workerId,
        new KafkaSettings(
            stack.kafka().bootstrapServers(), topics, topics.prefix() + "-workers", Map.of()),
        new LedgerSettings(
            stack.postgres().jdbcUrl(ledgerDatabase),
            stack.postgres().superuser(),
            Secret.literal(stack.postgres().superuserPassword()),
            4),
        new StorageSettings(
            stack.s3().endpoint(),
            stack.s3().region(),
            bucket,
            "backups",
            true,
            Secret.literal(stack.s3().accessKey()),
            Secret.literal(stack.s3().secretKey()),
            StorageSettings.DEFAULT_PART_SIZE),
        new RunSettings(Duration.ofSeconds(30), 2, Duration.ofSeconds(2), Duration.ofSeconds(30)),
        targets);
  }
}
