package io.pgfleet.bench.scale;

import io.pgfleet.worker.config.WorkerConfig;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.NewTopic;

/** The fleet's command topics and the idle worker's consumer group, seen through Kafka's admin. */
final class TargetTopics {
  private final String bootstrapServers;
  private final WorkerConfig config;
  private final PrintStream log;

  TargetTopics(String bootstrapServers, WorkerConfig config, PrintStream log) {
    this.bootstrapServers = bootstrapServers;
    this.config = config;
    this.log = log;
  }

  /**
   * Creates the target topics up front, as an operator registering a fleet would: the worker's
   * start-up gives Kafka 30 s, and a loaded machine creates 1,000 topics in more than that.
   */
  void create(List<String> names) throws Exception {
    log.printf(Locale.ROOT, "creating %,d command topics...%n", names.size());
    List<NewTopic> topics = new ArrayList<>();
    names.forEach(n -> topics.add(new NewTopic(config.kafka().topics().commands(n), 1, (short) 1)));
    try (Admin admin = admin()) {
      admin.createTopics(topics).all().get(10, TimeUnit.MINUTES);
    }
  }

  /**
   * Waits until the worker's consumer group holds every target topic's partition (polled every 500
   * ms), after any member of an earlier start has left it.
   */
  void awaitAssigned(int targets) throws Exception {
    try (Admin admin = admin()) {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
      while (System.nanoTime() < deadline) {
        long assigned;
        try {
          ConsumerGroupDescription group =
              admin
                  .describeConsumerGroups(List.of(config.kafka().groupId()))
                  .all()
                  .get(30, TimeUnit.SECONDS)
                  .get(config.kafka().groupId());
          // One member: an earlier start's is gone, and the new one holds the assignment.
          assigned =
              group.members().size() != 1
                  ? 0
                  : group.members().stream()
                      .mapToLong(m -> m.assignment().topicPartitions().size())
                      .sum();
        } catch (ExecutionException e) {
          assigned = 0; // the group does not exist until the worker's consumer joins it
        }
        if (assigned >= targets) {
          return;
        }
        Thread.sleep(500);
      }
    }
    throw new IllegalStateException("the worker did not get every target topic within 10 min");
  }

  /** Waits until no member is left in the worker's group (after a worker stopped). */
  void awaitEmpty() throws Exception {
    try (Admin admin = admin()) {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
      while (System.nanoTime() < deadline) {
        ConsumerGroupDescription group =
            admin
                .describeConsumerGroups(List.of(config.kafka().groupId()))
                .all()
                .get(30, TimeUnit.SECONDS)
                .get(config.kafka().groupId());
        if (group.members().isEmpty()) {
          return;
        }
        Thread.sleep(200);
      }
    }
    throw new IllegalStateException("the stopped worker's member did not leave its group");
  }

  private Admin admin() {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    return Admin.create(props);
  }
}
