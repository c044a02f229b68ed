package io.pgfleet.dev;

import io.pgfleet.commands.Operation;
import io.pgfleet.commands.wire.Topics;
import io.pgfleet.local.LocalKafka;
import io.pgfleet.local.LocalPostgres;
import io.pgfleet.local.LocalS3;
import io.pgfleet.local.LocalStack;
import io.pgfleet.local.SampleFleet.SampleDatabase;
import io.pgfleet.runtime.config.KafkaSettings;
import io.pgfleet.runtime.config.LedgerSettings;
import io.pgfleet.runtime.config.Secret;
import io.pgfleet.worker.config.RestoreSettings;
import io.pgfleet.worker.config.RunSettings;
import io.pgfleet.worker.config.SecuritySettings;
import io.pgfleet.worker.config.ServerLogin;
import io.pgfleet.worker.config.SignaturePolicy;
import io.pgfleet.worker.config.StorageSettings;
import io.pgfleet.worker.config.TargetConfig;
import io.pgfleet.worker.config.WorkerConfig;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A worker config for sample databases on a local stack, with the stack's generated secrets. */
public final class LocalWorkerConfigs {
  private LocalWorkerConfigs() {}

  public static WorkerConfig of(
      LocalStack stack,
      String workerId,
      Topics topics,
      String bucket,
      String ledgerDatabase,
      List<SampleDatabase> databases) {
    return of(
        stack.kafka(),
        stack.s3(),
        stack.postgres(),
        stack.postgres(),
        workerId,
        topics,
        bucket,
        ledgerDatabase,
        databases);
  }

  /** A config whose servers may be separate: fault tests stop one without the others. */
  public static WorkerConfig of(
      LocalKafka kafka,
      LocalS3 s3,
      LocalPostgres ledgerServer,
      LocalPostgres targetServer,
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
              .host(targetServer.host())
              .port(targetServer.port())
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
                          targetServer.superuser(),
                          Secret.literal(targetServer.superuserPassword()),
                          "disable",
                          null),
                      null,
                      null))
              .build());
    }
    return new WorkerConfig(
        workerId,
        new KafkaSettings(kafka.bootstrapServers(), topics, topics.prefix() + "-workers", Map.of()),
        new LedgerSettings(
            ledgerServer.jdbcUrl(ledgerDatabase),
            ledgerServer.superuser(),
            Secret.literal(ledgerServer.superuserPassword()),
            4),
        new StorageSettings(
            s3.endpoint(),
            s3.region(),
            bucket,
            "backups",
            true,
            Secret.literal(s3.accessKey()),
            Secret.literal(s3.secretKey()),
            StorageSettings.DEFAULT_PART_SIZE,
            0),
        new RunSettings(
            Duration.ofSeconds(30),
            2,
            Duration.ofSeconds(2),
            Duration.ofSeconds(30),
            3,
            Duration.ofSeconds(1)),
        // A local stack for tests and trials: destructive commands go unsigned. The demo and
        // AuthorizationTest show signing; production configs default to DESTRUCTIVE.
        new SecuritySettings(Map.of(), SignaturePolicy.NONE, Duration.ofHours(1)),
        targets);
  }
}
