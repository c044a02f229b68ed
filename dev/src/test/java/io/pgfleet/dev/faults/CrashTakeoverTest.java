package io.pgfleet.dev.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgfleet.commands.Command;
import io.pgfleet.commands.Commands;
import io.pgfleet.commands.publish.CommandPublisher;
import io.pgfleet.commands.result.Outcome;
import io.pgfleet.commands.result.ResultEvent;
import io.pgfleet.commands.wire.ResultCodec;
import io.pgfleet.commands.wire.Topics;
import io.pgfleet.local.LocalStack;
import io.pgfleet.local.SampleFleet;
import io.pgfleet.local.SampleFleet.SampleDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A worker killed with SIGKILL mid-backup: after its lease expires another worker takes the command
 * over (attempt 2), the first attempt's open upload is aborted, exactly one complete artifact
 * exists, and the result stream tells both attempts truthfully.
 */
@Tag("faults")
class CrashTakeoverTest {
  private static final LocalStack stack = LocalStack.shared();
  private static final String PREFIX = "crash";
  private static final String BUCKET = "crash-artifacts";
  private static final String LEDGER = "crash_ledger";
  private static SampleDatabase db;
  private static S3Client s3;

  @TempDir static Path dir;

  @BeforeAll
  static void prepare() {
    db = SampleFleet.create(stack.postgres(), "order_db", "crash_order_db");
    stack.s3().createBucket(BUCKET);
    stack.postgres().createDatabase(LEDGER, stack.postgres().superuser());
    s3 =
        S3Client.builder()
            .endpointOverride(stack.s3().endpoint())
            .region(Region.of(stack.s3().region()))
            .forcePathStyle(true)
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(stack.s3().accessKey(), stack.s3().secretKey())))
            .build();
  }

  @AfterAll
  static void close() {
    s3.close();
  }

  private static final int TRIALS = 3;
  // Long enough that Kafka's session timeout (half the lease, at least 6 s) ends before it does.
  private static final Duration LEASE = Duration.ofSeconds(8);
  // Kafka's default session timeout: a takeover before it proves the worker derived its own.
  private static final Duration KAFKA_DEFAULT_SESSION = Duration.ofSeconds(45);
  private static final List<Duration> takeovers = new CopyOnWriteArrayList<>();

  @Test
  void workers_killed_mid_backup_are_taken_over_and_leave_exactly_one_complete_artifact()
      throws Exception {
    Path config = writeConfig();
    Map<String, String> env = secrets();
    List<ResultEvent> events = new CopyOnWriteArrayList<>();
    Map<String, WorkerProcess> workers = new java.util.HashMap<>();
    int executions = 0;
    try (ResultsReader reader = new ResultsReader(events);
        CommandPublisher publisher =
            CommandPublisher.connect(
                stack.kafka().bootstrapServers(), new Topics(PREFIX), Map.of())) {
      for (String id : List.of("crash-a", "crash-b")) {
        workers.put(id, WorkerProcess.start(config, id, env, dir));
      }
      for (int trial = 1; trial <= TRIALS; trial++) {
        Command command = Commands.backup(db.name()).id("crash-" + trial).build();
        publisher.publish(command).join();
        ResultEvent progress =
            await("attempt 1 of trial " + trial + " under way")
                .atMost(Duration.ofSeconds(90))
                .until(() -> find(events, command, Outcome.PROGRESS, 1), e -> e != null);
        String victim = progress.data().worker();
        workers.get(victim).kill();
        Instant killedAt = Instant.now();

        ResultEvent end =
            await("trial " + trial + " finished by the other worker")
                .atMost(Duration.ofSeconds(120))
                .until(() -> terminal(events, command), e -> e != null);
        workers.put(victim, WorkerProcess.start(config, victim, env, dir));

        assertThat(end.outcome()).isEqualTo(Outcome.SUCCEEDED);
        // Kafka's session timeout is not set here: the worker derives it from the lease, so the
        // survivor takes the command over when the lease expires (8 s), not after Kafka's 45 s.
        // The bound is Kafka's default, not the lease: when the lease was last renewed, the
        // rebalance and the survivor's poll all vary with the load (6-15 s seen on 2 cores).
        Instant takenOver = find(events, command, Outcome.STARTED, 2).time();
        assertThat(Duration.between(killedAt, takenOver)).isLessThan(KAFKA_DEFAULT_SESSION);
        takeovers.add(Duration.between(killedAt, takenOver));
        assertThat(end.data().attempt()).isEqualTo(2);
        assertThat(end.data().worker()).isNotEqualTo(victim);
        List<ResultEvent> mine =
            events.stream().filter(e -> command.id().equals(e.data().commandId())).toList();
        assertThat(mine)
            .filteredOn(e -> e.outcome() == Outcome.STARTED)
            .extracting(e -> e.data().attempt())
            .containsExactly(1, 2);
        assertThat(
                mine.stream().filter(e -> e.outcome().isTerminal()).map(ResultEvent::id).distinct())
            .hasSize(1);
        List<String> keys =
            s3.listObjectsV2Paginator(b -> b.bucket(BUCKET)).contents().stream()
                .map(S3Object::key)
                .filter(k -> k.contains("/" + command.id() + "."))
                .toList();
        assertThat(keys)
            .hasSize(2)
            .anyMatch(k -> k.endsWith(".dump"))
            .anyMatch(k -> k.endsWith(".manifest.json"));
        assertThat(s3.listMultipartUploads(b -> b.bucket(BUCKET)).uploads()).isEmpty();
        assertThat(
                ledger(
                    "SELECT state || '/' || attempt FROM pgfleet.runs WHERE command_id = '"
                        + command.id()
                        + "'"))
            .isEqualTo("succeeded/2");
        executions += 2;
      }
    } finally {
      for (WorkerProcess w : workers.values()) {
        w.close();
      }
    }
    FaultSummary.record("worker SIGKILL mid-backup", TRIALS, TRIALS, executions, 0, 0);
    FaultSummary.record(
        "takeover after SIGKILL (max " + slowest() + " s)", TRIALS, TRIALS, 0, 0, 0);
  }

  private static long slowest() {
    return takeovers.stream().mapToLong(Duration::toSeconds).max().orElse(0);
  }

  private static Path writeConfig() throws Exception {
    String yaml =
        """
        kafka:
          bootstrapServers: "%s"
          topicPrefix: %s
          groupId: crash-workers
          properties:
            metadata.max.age.ms: "1000"
        ledger: {url: "%s", user: %s, password: {env: CRASH_LEDGER_PASSWORD}}
        storage:
          endpoint: "%s"
          bucket: %s
          accessKey: {env: CRASH_S3_ACCESS_KEY}
          secretKey: {env: CRASH_S3_SECRET_KEY}
          partSizeMiB: 5
          maxKiBPerSecond: 40
        runs: {leaseTtl: %ds, maxConcurrent: 1, progressInterval: 500ms, shutdownGrace: 5s}
        targets:
          %s: {host: "%s", port: %d, user: %s, password: {env: CRASH_TARGET_PASSWORD}, sslMode: disable, operations: [backup]}
        """
            .formatted(
                stack.kafka().bootstrapServers(),
                PREFIX,
                stack.postgres().jdbcUrl(LEDGER),
                stack.postgres().superuser(),
                stack.s3().endpoint(),
                BUCKET,
                LEASE.toSeconds(),
                db.name(),
                stack.postgres().host(),
                stack.postgres().port(),
                db.owner());
    return Files.writeString(dir.resolve("worker.yaml"), yaml);
  }

  private static Map<String, String> secrets() {
    return Map.of(
        "CRASH_LEDGER_PASSWORD", stack.postgres().superuserPassword(),
        "CRASH_S3_ACCESS_KEY", stack.s3().accessKey(),
        "CRASH_S3_SECRET_KEY", stack.s3().secretKey(),
        "CRASH_TARGET_PASSWORD", db.password(),
        "PGFLEET_LOG_LEVEL", "INFO");
  }

  private static ResultEvent find(
      List<ResultEvent> events, Command c, Outcome outcome, int attempt) {
    return events.stream()
        .filter(
            e ->
                c.id().equals(e.data().commandId())
                    && e.outcome() == outcome
                    && Integer.valueOf(attempt).equals(e.data().attempt()))
        .findFirst()
        .orElse(null);
  }

  private static ResultEvent terminal(List<ResultEvent> events, Command c) {
    return events.stream()
        .filter(e -> c.id().equals(e.data().commandId()) && e.outcome().isTerminal())
        .findFirst()
        .orElse(null);
  }

  private static String ledger(String sql) throws Exception {
    try (Connection c = stack.postgres().connect(LEDGER);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  /** Reads the results topic in the background, from its beginning. */
  private static final class ResultsReader implements AutoCloseable {
    private final Thread thread;
    private volatile boolean stop;

    ResultsReader(List<ResultEvent> sink) {
      stack.kafka().createTopic(PREFIX + ".results", 1);
      thread =
          new Thread(
              () -> {
                Properties p = new Properties();
                p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers());
                p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
                p.put(
                    ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                    ByteArrayDeserializer.class.getName());
                p.put(
                    ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                    ByteArrayDeserializer.class.getName());
                ResultCodec codec = new ResultCodec();
                try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
                  TopicPartition tp = new TopicPartition(PREFIX + ".results", 0);
                  consumer.assign(List.of(tp));
                  consumer.seekToBeginning(List.of(tp));
                  while (!stop) {
                    consumer
                        .poll(Duration.ofMillis(100))
                        .forEach(r -> sink.add(codec.decode(r.value())));
                  }
                }
              },
              "crash-results");
      thread.setDaemon(true);
      thread.start();
    }

    @Override
    public void close() throws InterruptedException {
      stop = true;
      thread.join(5_000);
    }
  }
}
