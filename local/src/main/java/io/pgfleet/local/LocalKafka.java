package io.pgfleet.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;

/**
 * A single-node Apache Kafka cluster (one process acting as KRaft controller and broker) running
 * inside this JVM, listening on 127.0.0.1 only.
 *
 * <p>Topics are auto-created with one partition and replication factor 1. {@link #restart()} keeps
 * the port and the log directory, so clients see an ordinary broker restart.
 */
public final class LocalKafka implements AutoCloseable {

  private static final String CONTROLLER_LISTENER = "CONTROLLER";
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  /** Brokers in one JVM get distinct node ids so their JMX and metric names do not clash. */
  private static final AtomicInteger NEXT_NODE_ID = new AtomicInteger(1);

  private final Path dir;
  private final Path logDir;
  private final int nodeId;
  private final int brokerPort;
  private final int controllerPort;
  private KafkaRaftServer server;
  private boolean closed;

  private LocalKafka(Path dir) {
    this.dir = dir;
    this.logDir = dir.resolve("logs");
    this.nodeId = NEXT_NODE_ID.getAndIncrement();
    this.brokerPort = FreePort.pick();
    this.controllerPort = FreePort.pick();
  }

  /**
   * Starts a broker whose log directory lives under {@code dir}, formatting it on first use.
   *
   * @param dir directory owned by this broker; {@link #close()} deletes it
   */
  public static LocalKafka start(Path dir) {
    LocalKafka kafka = new LocalKafka(dir.toAbsolutePath());
    kafka.startServer();
    return kafka;
  }

  /** The address clients bootstrap from: {@code "127.0.0.1:PORT"}. */
  public String bootstrapServers() {
    return FreePort.LOOPBACK + ":" + brokerPort;
  }

  /** Stops the broker cleanly and keeps its log directory; a stopped broker is not an error. */
  public synchronized void stop() {
    if (server == null) {
      return;
    }
    KafkaRaftServer running = server;
    server = null;
    running.shutdown();
    running.awaitShutdown();
  }

  /** Stops the broker and starts it again on the same port with the same log directory. */
  public synchronized void restart() {
    stop();
    startServer();
  }

  /** Creates a topic with replication factor 1; an existing topic of that name is left as it is. */
  public void createTopic(String name, int partitions) {
    try (Admin admin = admin()) {
      admin
          .createTopics(List.of(new NewTopic(name, partitions, (short) 1)))
          .all()
          .get(READY_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException("could not create topic " + name, e.getCause());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topic " + name, e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("timed out creating topic " + name, e);
    }
  }

  /** Stops the broker and deletes its directory. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    stop();
    Directories.deleteTree(dir);
  }

  private synchronized void startServer() {
    if (closed) {
      throw new IllegalStateException("this LocalKafka is closed");
    }
    if (server != null) {
      return;
    }
    KafkaStorage.formatIfNeeded(logDir, nodeId, CONTROLLER_LISTENER);
    KafkaRaftServer starting =
        new KafkaRaftServer(KafkaConfig.fromProps(config(), false), Time.SYSTEM);
    try {
      starting.startup();
      awaitBrokerServes();
    } catch (RuntimeException e) {
      starting.shutdown();
      starting.awaitShutdown();
      throw e;
    }
    server = starting;
  }

  private Properties config() {
    String broker = "PLAINTEXT://" + bootstrapServers();
    String controller = CONTROLLER_LISTENER + "://" + FreePort.LOOPBACK + ":" + controllerPort;
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", String.valueOf(nodeId));
    p.put("controller.quorum.voters", nodeId + "@" + FreePort.LOOPBACK + ":" + controllerPort);
    p.put("controller.listener.names", CONTROLLER_LISTENER);
    p.put("listeners", broker + "," + controller);
    p.put("advertised.listeners", broker);
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("log.dirs", logDir.toString());
    p.put("num.partitions", "1");
    p.put("default.replication.factor", "1");
    p.put("auto.create.topics.enable", "true");
    p.put("offsets.topic.replication.factor", "1");
    // One partition instead of 50: the first consumer group is ready much sooner.
    p.put("offsets.topic.num.partitions", "1");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("transaction.state.log.num.partitions", "1");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    // The log cleaner allocates its dedupe buffer up front: 128 MiB of heap by default.
    p.put("log.cleaner.dedupe.buffer.size", String.valueOf(2 * 1024 * 1024));
    return p;
  }

  private void awaitBrokerServes() {
    try (Admin admin = admin()) {
      admin.describeCluster().nodes().get(READY_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for Kafka to start", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("Kafka did not start on " + bootstrapServers(), e);
    }
  }

  private Admin admin() {
    return Admin.create(
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrapServers(),
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
            (int) READY_TIMEOUT.toMillis()));
  }
}
