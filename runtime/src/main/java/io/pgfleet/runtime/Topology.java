package io.pgfleet.runtime;

import io.pgfleet.runtime.config.KafkaSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the topics a worker needs if they are missing: one single-partition command topic per
 * configured target (so a target's commands run one at a time, in order), results and DLQ.
 */
public final class Topology {
  private Topology() {}

  public static void ensure(KafkaSettings kafka, Set<String> targets) {
    List<NewTopic> wanted = new ArrayList<>();
    for (String target : targets) {
      wanted.add(new NewTopic(kafka.topics().commands(target), Optional.of(1), Optional.empty()));
    }
    wanted.add(new NewTopic(kafka.topics().results(), Optional.empty(), Optional.empty()));
    wanted.add(new NewTopic(kafka.topics().dlq(), Optional.empty(), Optional.empty()));
    try (Admin admin = KafkaAdmins.create(kafka, "pgfleet-topology")) {
      for (var entry : admin.createTopics(wanted).values().entrySet()) {
        try {
          entry.getValue().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw new IllegalStateException(
                "cannot create topic " + entry.getKey() + ": " + e.getCause().getMessage(), e);
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "Kafka at " + kafka.bootstrapServers() + " did not answer within 30 s", e);
    }
  }
}
