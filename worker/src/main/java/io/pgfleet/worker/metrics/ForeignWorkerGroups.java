package io.pgfleet.worker.metrics;

import io.pgfleet.commands.Printable;
import io.pgfleet.runtime.config.KafkaSettings;
import io.pgfleet.runtime.config.MetricsSettings;
import io.pgfleet.runtime.metrics.Readiness;
import io.pgfleet.runtime.metrics.ReadinessChecks;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.MemberDescription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds other worker groups consuming this fleet's command topics. Two groups on one topic prefix
 * both execute every command (each with its own ledger, both run it), so a second group is reported
 * loudly: an error in the log, the gauge {@code pgfleet_worker_foreign_groups}, and readiness fails
 * with its name until it is gone. Worker consumers are recognized by their client id.
 */
public final class ForeignWorkerGroups implements Readiness.Check {
  private static final Logger log = LoggerFactory.getLogger(ForeignWorkerGroups.class);
  static final String WORKER_CLIENT_PREFIX = "pgfleet-worker-";

  private final Admin admin;
  private final String ownGroup;
  private final String commandTopicPrefix;
  private final WorkerMetrics metrics;
  private volatile List<String> lastSeen = List.of();
  private volatile List<String> listed = List.of();
  private final long relistNanos;
  private volatile long listedAt;

  /**
   * Listing every consumer group of the cluster is the costliest readiness check and the answer
   * changes rarely: it runs at most every {@code metrics.workerGroupsEvery}, and the probes in
   * between repeat its last answer.
   */
  public ForeignWorkerGroups(
      Admin admin, KafkaSettings kafka, MetricsSettings settings, WorkerMetrics metrics) {
    this.admin = admin;
    this.relistNanos = settings.workerGroupsEvery().toNanos();
    this.listedAt = System.nanoTime() - relistNanos;
    this.ownGroup = kafka.groupId();
    this.commandTopicPrefix = kafka.topics().prefix() + ".commands.";
    this.metrics = metrics;
  }

  @Override
  public void run() throws Exception {
    if (System.nanoTime() - listedAt >= relistNanos) {
      listed = find();
      listedAt = System.nanoTime();
    }
    List<String> found = listed;
    metrics.foreignWorkerGroups(found.size());
    if (found.isEmpty()) {
      lastSeen = found;
      return;
    }
    String problem =
        "worker group(s) "
            + found
            + " also execute commands of topic prefix "
            + commandTopicPrefix
            + "*, beside this worker's group "
            + ownGroup
            + ": each command runs once per group; stop them, or give each fleet its own prefix";
    if (!found.equals(lastSeen)) {
      log.error(problem);
      lastSeen = found;
    }
    throw new Readiness.NotReady(problem);
  }

  private List<String> find() throws Exception {
    long timeout = ReadinessChecks.TIMEOUT.toMillis();
    List<String> others =
        admin.listConsumerGroups().all().get(timeout, TimeUnit.MILLISECONDS).stream()
            .map(ConsumerGroupListing::groupId)
            .filter(g -> !g.equals(ownGroup))
            .toList();
    if (others.isEmpty()) {
      return List.of();
    }
    return admin
        .describeConsumerGroups(others)
        .all()
        .get(timeout, TimeUnit.MILLISECONDS)
        .values()
        .stream()
        .filter(g -> g.members().stream().anyMatch(this::executesOurCommands))
        .map(g -> Printable.quote(g.groupId()))
        .sorted()
        .toList();
  }

  private boolean executesOurCommands(MemberDescription member) {
    return member.clientId().startsWith(WORKER_CLIENT_PREFIX)
        && member.assignment().topicPartitions().stream()
            .anyMatch(tp -> tp.topic().startsWith(commandTopicPrefix));
  }
}
