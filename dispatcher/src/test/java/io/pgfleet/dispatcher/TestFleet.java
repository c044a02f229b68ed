package io.pgfleet.dispatcher;

import io.pgfleet.commands.Operation;
import io.pgfleet.commands.wire.Topics;
import io.pgfleet.dispatcher.api.ApiToken;
import io.pgfleet.dispatcher.api.Role;
import io.pgfleet.dispatcher.fleet.FleetSettings;
import io.pgfleet.dispatcher.fleet.TargetPolicy;
import io.pgfleet.dispatcher.schedule.Schedule;
import io.pgfleet.dispatcher.schedule.SchedulingSettings;
import io.pgfleet.local.LocalStack;
import io.pgfleet.local.SampleFleet;
import io.pgfleet.local.SampleFleet.SampleDatabase;
import io.pgfleet.worker.Worker;
import io.pgfleet.worker.config.KafkaSettings;
import io.pgfleet.worker.config.LedgerSettings;
import io.pgfleet.worker.config.RunSettings;
import io.pgfleet.worker.config.Secret;
import io.pgfleet.worker.config.SecuritySettings;
import io.pgfleet.worker.config.StorageSettings;
import io.pgfleet.worker.config.TargetConfig;
import io.pgfleet.worker.config.WorkerConfig;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A fleet on the shared local stack for one test class: its own topic prefix, ledger database,
 * bucket and sample databases; workers and dispatchers started against them.
 */
public final class TestFleet implements AutoCloseable {
  public static final String READER = "reader-token";
  public static final String REQUESTER = "requester-token";
  public static final String OPERATOR = "operator-token";

  public final LocalStack stack = LocalStack.shared();
  public final String id = "d" + UUID.randomUUID().toString().substring(0, 8);
  public final Topics topics = new Topics(id);
  public final String bucket = id + "-artifacts";
  public final String ledgerDatabase = id + "_ledger";
  private final Map<String, SampleDatabase> databases = new LinkedHashMap<>();
  private final List<AutoCloseable> closeables = new ArrayList<>();

  public TestFleet(String... samples) {
    stack.s3().createBucket(bucket);
    stack.postgres().createDatabase(ledgerDatabase, stack.postgres().superuser());
    for (String sample : samples) {
      databases.put(sample, SampleFleet.create(stack.postgres(), sample, id + "_" + sample));
    }
  }

  public String target(String sample) {
    return databases.get(sample).name();
  }

  public List<String> targets() {
    return databases.values().stream().map(SampleDatabase::name).toList();
  }

  public LedgerSettings ledger() {
    return new LedgerSettings(
        stack.postgres().jdbcUrl(ledgerDatabase),
        stack.postgres().superuser(),
        Secret.literal(stack.postgres().superuserPassword()),
        6);
  }

  public Worker startWorker(String workerId, Clock clock) {
    Map<String, TargetConfig> targets = new LinkedHashMap<>();
    for (SampleDatabase db : databases.values()) {
      targets.put(
          db.name(),
          TargetConfig.builder(db.name())
              .host(stack.postgres().host())
              .port(stack.postgres().port())
              .user(db.owner())
              .password(Secret.literal(db.password()))
              .sslMode("disable")
              .operations(EnumSet.allOf(Operation.class))
              .build());
    }
    WorkerConfig config =
        new WorkerConfig(
            workerId,
            new KafkaSettings(
                stack.kafka().bootstrapServers(),
                topics,
                id + "-workers",
                Map.of("metadata.max.age.ms", "1000")),
            ledger(),
            new StorageSettings(
                stack.s3().endpoint(),
                stack.s3().region(),
                bucket,
                "backups",
                true,
                Secret.literal(stack.s3().accessKey()),
                Secret.literal(stack.s3().secretKey()),
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
    return add(Worker.start(config, clock));
  }

  /** A dispatcher config: the fleet's targets (RPO 26 h), three tokens, the given schedules. */
  public DispatcherConfig dispatcherConfig(
      String dispatcherId, Duration missedHorizon, List<Schedule> schedules) {
    Map<String, TargetPolicy> policies = new LinkedHashMap<>();
    targets().forEach(t -> policies.put(t, TargetPolicy.ofRpo(Duration.ofHours(26))));
    return new DispatcherConfig(
        dispatcherId,
        new KafkaSettings(
            stack.kafka().bootstrapServers(),
            topics,
            id + "-dispatcher",
            Map.of("metadata.max.age.ms", "1000")),
        ledger(),
        new InetSocketAddress("127.0.0.1", 0),
        List.of(
            ApiToken.ofSecret("grafana", Role.READ_ONLY, READER),
            ApiToken.ofSecret("order-service", Role.REQUESTER, REQUESTER),
            ApiToken.ofSecret("dba", Role.OPERATOR, OPERATOR)),
        new FleetSettings(false, TargetPolicy.defaults(), policies),
        new SchedulingSettings(missedHorizon, Duration.ofHours(1)),
        schedules);
  }

  public Dispatcher startDispatcher(DispatcherConfig config, Clock clock) {
    return add(Dispatcher.start(config, clock));
  }

  public <T extends AutoCloseable> T add(T closeable) {
    closeables.add(closeable);
    return closeable;
  }

  @Override
  public void close() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      try {
        closeables.get(i).close();
      } catch (Exception e) {
        // already closed by the test
      }
    }
  }
}
