package io.pgfleet.worker.intake;

import io.pgfleet.commands.Operation;
import io.pgfleet.commands.wire.Topics;
import io.pgfleet.runtime.config.KafkaSettings;
import io.pgfleet.worker.config.WorkerConfig;
import io.pgfleet.worker.metrics.WorkerMetrics;
import io.pgfleet.worker.procedure.Procedure;
import io.pgfleet.worker.result.ResultPublisher;
import io.pgfleet.worker.result.ResultTransactions;
import io.pgfleet.worker.run.RunExecutor;
import io.pgfleet.worker.storage.ArtifactStore;
import io.pgfleet.worker.target.LiveTargets;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** The consumer side of a worker: its Kafka consumer and the thread that runs the loop. */
public final class CommandIntake {
  private static final Duration MIN_SESSION = Duration.ofSeconds(6);
  private static final Duration MAX_SESSION = Duration.ofSeconds(45);
  private static final Duration MIN_METADATA_AGE = Duration.ofSeconds(10);
  private static final Duration MAX_METADATA_AGE = Duration.ofMinutes(5);
  private static final Duration METADATA_AGE_PER_TARGET = Duration.ofMillis(60);
  private static final Duration MIN_FETCH_WAIT = Duration.ofMillis(500);
  private static final Duration MAX_FETCH_WAIT = Duration.ofSeconds(2);
  private static final Duration FETCH_WAIT_PER_TARGET = Duration.ofMillis(2);
  private final CommandLoop loop;
  private final Thread thread;

  private CommandIntake(CommandLoop loop) {
    this.loop = loop;
    this.thread = new Thread(loop, "pgfleet-intake");
  }

  public static CommandIntake start(
      WorkerConfig config,
      LiveTargets targets,
      Map<Operation, Procedure> procedures,
      RunExecutor executor,
      ResultPublisher results,
      ArtifactStore store,
      WorkerMetrics metrics,
      Clock clock) {
    KafkaSettings kafka = config.kafka();
    ResultTransactions transactions =
        ResultTransactions.connect(
            kafka.bootstrapServers(),
            kafka.topics(),
            kafka.properties(),
            store,
            transactionalId(kafka.groupId(), config.workerId()));
    KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties(config));
    Admission admission =
        new Admission(kafka.topics(), targets.view(), procedures, config.security(), clock);
    CommandLoop loop =
        new CommandLoop(
            consumer,
            Subscription.following(kafka.topics(), targets::names),
            admission,
            executor,
            results,
            transactions,
            config.workerId(),
            clock,
            config.runs().shutdownGrace(),
            idlePoll(config.targets().size()),
            metrics);
    CommandIntake intake = new CommandIntake(loop);
    intake.thread.start();
    return intake;
  }

  /**
   * The command topics of the targets this worker serves, and no others: a topic is assigned only
   * to workers that can execute its commands, so workers of one group with different target lists
   * (or in the middle of a rolling config change) never take, refuse and skip each other's work.
   */
  static List<String> subscription(Topics topics, Collection<String> targets) {
    return targets.stream().sorted().map(topics::commands).toList();
  }

  /**
   * Kafka's session timeout, within which a dead worker's partitions move to another: half the
   * lease (between 6 s, the broker's least, and 45 s, Kafka's default), so a crashed worker's
   * command is taken over when its lease expires, not when Kafka notices much later. The other half
   * leaves room for the rebalance.
   */
  static Duration sessionTimeout(Duration leaseTtl) {
    Duration half = leaseTtl.dividedBy(2);
    return half.compareTo(MIN_SESSION) < 0
        ? MIN_SESSION
        : half.compareTo(MAX_SESSION) > 0 ? MAX_SESSION : half;
  }

  /**
   * Stable per worker id and group: a restarted worker fences its previous incarnation's producer
   * (and settles a transaction it left open). Two workers must not share an id.
   */
  static String transactionalId(String groupId, String workerId) {
    return "pgfleet-results-" + groupId + "-" + workerId;
  }

  /**
   * How often the consumer re-reads the metadata of its topics (a changed topic is seen at the next
   * read; Kafka's default is 5 minutes): every 10 s for a few targets, longer for many, since each
   * read costs in proportion to the topics (60 ms per target: 1 min for 1,000), at most 5 min.
   */
  static Duration metadataMaxAge(int targets) {
    Duration scaled = METADATA_AGE_PER_TARGET.multipliedBy(targets);
    return scaled.compareTo(MIN_METADATA_AGE) < 0
        ? MIN_METADATA_AGE
        : scaled.compareTo(MAX_METADATA_AGE) > 0 ? MAX_METADATA_AGE : scaled;
  }

  /**
   * How long the broker holds an empty fetch (Kafka's default, 500 ms, for up to 250 targets; 2 ms
   * per target above, at most 2 s). A new command ends the wait at once; each empty fetch walks
   * every assigned partition, so a worker of many targets idles on fewer of them. The price: a
   * partition resumed after a run with no command already read waits for the fetch in flight before
   * its next command is fetched, up to this long.
   */
  static Duration fetchMaxWait(int targets) {
    Duration scaled = FETCH_WAIT_PER_TARGET.multipliedBy(targets);
    return scaled.compareTo(MIN_FETCH_WAIT) < 0
        ? MIN_FETCH_WAIT
        : scaled.compareTo(MAX_FETCH_WAIT) > 0 ? MAX_FETCH_WAIT : scaled;
  }

  /**
   * How long the loop's idle poll waits: 1 s, or the broker's wait for an empty fetch when longer,
   * so that an idle worker of many targets walks its partitions once per fetch, not also per poll.
   */
  static Duration idlePoll(int targets) {
    Duration fetch = fetchMaxWait(targets);
    return fetch.compareTo(Duration.ofSeconds(1)) > 0 ? fetch : Duration.ofSeconds(1);
  }

  static Properties consumerProperties(WorkerConfig config) {
    KafkaSettings kafka = config.kafka();
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, kafka.groupId());
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "pgfleet-worker-" + config.workerId());
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
    props.put(
        ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
        CooperativeStickyAssignor.class.getName());
    props.put(
        ConsumerConfig.METADATA_MAX_AGE_CONFIG,
        String.valueOf(metadataMaxAge(config.targets().size()).toMillis()));
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "100");
    props.put(
        ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG,
        String.valueOf(fetchMaxWait(config.targets().size()).toMillis()));
    // Also makes the committed offsets read stable: a transaction of the partition's previous
    // owner that carries offsets is settled before they are read (RunResults relies on it).
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    Duration session = sessionTimeout(config.runs().leaseTtl());
    props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, String.valueOf(session.toMillis()));
    props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, String.valueOf(session.toMillis() / 4));
    // Keys as bytes: a DLQ copy keeps a key that is not UTF-8 exactly as it was.
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.putAll(kafka.properties());
    return props;
  }

  public int rebalances() {
    return loop.rebalances();
  }

  /** Target topics whose next record keeps failing to be handled, and for how long. */
  public Map<String, java.time.Duration> stalls() {
    return loop.stalls();
  }

  public void stop() {
    loop.stop();
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public void join() throws InterruptedException {
    thread.join();
  }
}
