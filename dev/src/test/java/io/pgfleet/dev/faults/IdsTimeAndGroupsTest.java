package io.pgfleet.dev.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgfleet.commands.Command;
import io.pgfleet.commands.Commands;
import io.pgfleet.commands.HealthCheckParams;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.publish.CommandPublisher;
import io.pgfleet.commands.result.Outcome;
import io.pgfleet.commands.result.ResultEvent;
import io.pgfleet.commands.signing.CommandSigner;
import io.pgfleet.commands.signing.Ed25519Keys;
import io.pgfleet.commands.wire.Headers;
import io.pgfleet.commands.wire.Topics;
import io.pgfleet.dev.LocalWorkerConfigs;
import io.pgfleet.local.LocalStack;
import io.pgfleet.local.SampleFleet.SampleDatabase;
import io.pgfleet.local.Scrape;
import io.pgfleet.runtime.config.KafkaSettings;
import io.pgfleet.runtime.config.MetricsSettings;
import io.pgfleet.worker.ResultStream;
import io.pgfleet.worker.Worker;
import io.pgfleet.worker.WorkerConfigs;
import io.pgfleet.worker.config.RunSettings;
import io.pgfleet.worker.config.SecuritySettings;
import io.pgfleet.worker.config.SignaturePolicy;
import io.pgfleet.worker.config.TrustedSigner;
import io.pgfleet.worker.config.WorkerConfig;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.GroupState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Invariants 2, 4 and 5 of issue 13 against a real worker: an id means one command, a command's
 * time and signature cannot be stretched to other times or fleets, and workers of one group with
 * different targets lose nothing while old history never runs again.
 */
@Tag("faults")
class IdsTimeAndGroupsTest {
  private static final LocalStack stack = LocalStack.shared();
  private static final Topics topics = new Topics("trust");
  private static final String BUCKET = "trust";
  private static final String LEDGER = "trust_ledger";
  private static final Duration MAX_AGE = Duration.ofDays(3);
  private static final KeyPair OPS = Ed25519Keys.generate();
  private static List<SampleDatabase> dbs;
  private static Worker worker;
  private static ResultStream results;
  private static ResultStream deadLetters;
  private static CommandPublisher publisher;

  @BeforeAll
  static void start() {
    dbs =
        IntStream.range(0, 4)
            .mapToObj(i -> Probes.tinyDatabase(stack.postgres(), "trust_db" + i))
            .toList();
    stack.s3().createBucket(BUCKET);
    stack.postgres().createDatabase(LEDGER, stack.postgres().superuser());
    results = new ResultStream(stack.kafka().bootstrapServers(), topics.results());
    deadLetters = new ResultStream(stack.kafka().bootstrapServers(), topics.dlq());
    worker =
        Worker.start(
            config("trust-a", dbs)
                // looks for a second worker group every second rather than every 15 s
                .withMetrics(new MetricsSettings(0, Duration.ofSeconds(1))));
    publisher = CommandPublisher.connect(stack.kafka().bootstrapServers(), topics, Map.of());
  }

  @AfterAll
  static void stop() throws Exception {
    publisher.close();
    worker.close();
    results.close();
    deadLetters.close();
  }

  /** A local worker that trusts the signer "ops" and lets commands live {@link #MAX_AGE}. */
  private static WorkerConfig config(String id, List<SampleDatabase> targets) {
    WorkerConfig c = LocalWorkerConfigs.of(stack, id, topics, BUCKET, LEDGER, targets);
    return WorkerConfigs.with(
        c,
        null,
        WorkerConfigs.maxCommandAge(c.runs(), MAX_AGE),
        new SecuritySettings(
            Map.of("ops", new TrustedSigner("ops", OPS.getPublic(), Set.of(), List.of("*"))),
            SignaturePolicy.NONE,
            Duration.ofHours(1)));
  }

  @Test
  void an_id_taken_by_another_command_is_refused_not_answered_as_a_duplicate() {
    String db = dbs.get(0).name();
    String tomorrow = "nightly-backup:" + db + ":2026-12-07T02:00:00Z";
    Command squatter = healthCheck(db).id(tomorrow).build();
    publisher.publish(squatter).join();
    assertThat(results.awaitTerminal(tomorrow).outcome()).isEqualTo(Outcome.SUCCEEDED);

    Command backup = Commands.backup(db).id(tomorrow).build();
    Command elsewhere = healthCheck(dbs.get(1).name()).id(tomorrow).build();
    Command again = healthCheck(db).id(tomorrow).build();
    publisher.publish(backup).join();
    publisher.publish(elsewhere).join();
    publisher.publish(again).join();

    List<ResultEvent> ends =
        results.awaitCount(
            e -> tomorrow.equals(e.data().commandId()) && e.outcome().isTerminal(), 4);
    assertThat(ends)
        .filteredOn(e -> e.outcome() == Outcome.REJECTED)
        .hasSize(2)
        .allSatisfy(
            e -> {
              assertThat(e.data().error().code()).isEqualTo("COMMAND_ID_CONFLICT");
              assertThat(io.pgfleet.cli.SubmitDecisions.exitCode(e)).isNotZero();
            });
    ResultEvent duplicate =
        ends.stream().filter(e -> e.outcome() == Outcome.DUPLICATE).findFirst().orElseThrow();
    assertThat(io.pgfleet.cli.SubmitDecisions.exitCode(duplicate)).isZero();
    assertThat(ends).filteredOn(e -> e.outcome() == Outcome.SUCCEEDED).hasSize(1);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                deadLetters.records().stream()
                    .filter(r -> new String(r.value()).contains(tomorrow))
                    .map(r -> new String(r.headers().lastHeader(Headers.DLQ_REASON_CODE).value()))
                    .toList(),
            codes -> codes.equals(List.of("COMMAND_ID_CONFLICT", "COMMAND_ID_CONFLICT")));
    FaultSummary.record("an id reused by another command", 3, 4, 1, 0, 0);
  }

  @Test
  void a_command_from_the_future_is_rejected() {
    Instant nextYear = Instant.now().plus(Duration.ofDays(365));
    Command command =
        healthCheck(dbs.get(0).name()).clock(Clock.fixed(nextYear, ZoneOffset.UTC)).build();
    publisher.publish(command).join();

    ResultEvent end = results.awaitTerminal(command.id());
    assertThat(end.outcome()).isEqualTo(Outcome.REJECTED);
    assertThat(end.data().error().field()).isEqualTo("/time");
    FaultSummary.record("command time a year ahead", 1, 1, 0, 0, 0);
  }

  @Test
  void a_signed_command_republished_in_another_fleet_is_rejected() throws Exception {
    CommandSigner ops = new CommandSigner("ops", OPS.getPrivate());
    Command here = healthCheck(dbs.get(0).name()).build();
    Command captured = healthCheck(dbs.get(0).name()).build();
    publisher.publish(here, ops).join();
    Probes.sendRaw(
        stack.kafka().bootstrapServers(),
        topics.commands(captured.target()),
        ops.encode(captured, new Topics("staging")));

    assertThat(results.awaitTerminal(here.id()).outcome()).isEqualTo(Outcome.SUCCEEDED);
    ResultEvent replayed = results.awaitTerminal(captured.id());
    assertThat(replayed.outcome()).isEqualTo(Outcome.REJECTED);
    assertThat(replayed.data().error().code()).isEqualTo("UNAUTHORIZED");
    FaultSummary.record("signed command from another fleet", 2, 2, 1, 0, 0);
  }

  @Test
  void a_backup_is_filed_under_the_workers_date_not_the_producers() throws Exception {
    String db = dbs.get(2).name();
    Instant twoDaysAgo = Instant.now().minus(Duration.ofDays(2));
    Instant future = Instant.now().plus(Duration.ofMinutes(4));
    Command old = Commands.backup(db).clock(Clock.fixed(twoDaysAgo, ZoneOffset.UTC)).build();
    Command ahead = Commands.backup(db).clock(Clock.fixed(future, ZoneOffset.UTC)).build();
    publisher.publish(old).join();
    publisher.publish(ahead).join();

    assertThat(results.awaitTerminal(old.id()).outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(results.awaitTerminal(ahead.id()).outcome()).isEqualTo(Outcome.SUCCEEDED);
    String today =
        DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(ZoneOffset.UTC).format(Instant.now());
    String twoDaysBefore =
        DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(ZoneOffset.UTC).format(twoDaysAgo);
    try (var s3 = Probes.s3(stack.s3())) {
      assertThat(Probes.keys(s3, BUCKET, old.id() + ".dump"))
          .singleElement()
          .asString()
          .contains("/logical/" + today + "/")
          .doesNotContain(twoDaysBefore);
    }
    FaultSummary.record("backup dated by the producer", 2, 2, 2, 0, 0);
  }

  @Test
  void a_command_older_than_the_maximum_age_expires_instead_of_running() {
    assertThat(RunSettings.defaults().maxCommandAge()).isEqualTo(Duration.ofHours(24));
    assertThat(SecuritySettings.defaults().clockSkew()).isEqualTo(Duration.ofMinutes(5));
    Instant history = Instant.now().minus(MAX_AGE).minus(Duration.ofHours(1));
    Command replayed =
        healthCheck(dbs.get(0).name()).clock(Clock.fixed(history, ZoneOffset.UTC)).build();
    publisher.publish(replayed).join();

    assertThat(results.awaitTerminal(replayed.id()).outcome()).isEqualTo(Outcome.EXPIRED);
    FaultSummary.record("history replayed to a new group", 1, 1, 0, 0, 0);
  }

  @Test
  void workers_of_one_group_with_different_targets_lose_no_command() throws Exception {
    WorkerConfig narrowConfig = config("trust-b", List.of(dbs.get(0)));
    try (Worker narrow = Worker.start(narrowConfig);
        Admin admin =
            Admin.create(
                Map.of(
                    AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    stack.kafka().bootstrapServers()))) {
      // The scenario needs both workers in the group: wait until the narrow one has joined.
      String group = narrowConfig.kafka().groupId();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                ConsumerGroupDescription d =
                    admin.describeConsumerGroups(List.of(group)).all().get().get(group);
                return d.members().size() == 2 && d.groupState() == GroupState.STABLE;
              });
      List<Command> commands =
          dbs.stream()
              .flatMap(
                  db ->
                      IntStream.range(0, 3)
                          .mapToObj(
                              i ->
                                  Commands.of(
                                          Operation.ANALYZE, db.name(), Probes.TINY_TABLE_ANALYZE)
                                      .build()))
              .toList();
      commands.forEach(publisher::publish);
      publisher.flush();

      for (Command c : commands) {
        assertThat(results.awaitTerminal(c.id()).outcome())
            .as("%s on %s", c.id(), c.target())
            .isEqualTo(Outcome.SUCCEEDED);
      }
      FaultSummary.record(
          "workers with different targets", 1, commands.size(), commands.size(), 0, 0);
    }
  }

  @Test
  void a_second_worker_group_on_the_same_prefix_is_reported_loudly() throws Exception {
    WorkerConfig c = config("trust-stray", List.of(dbs.get(3)));
    KafkaSettings k = c.kafka();
    WorkerConfig stray =
        WorkerConfigs.with(
            c,
            new KafkaSettings(k.bootstrapServers(), k.topics(), "stray-workers", k.properties()),
            null,
            null);
    try (Worker second = Worker.start(stray)) {
      Scrape ready =
          await()
              .atMost(Duration.ofSeconds(30))
              .until(
                  () -> Scrape.get(worker.metricsPort(), "/health/ready"),
                  s -> s.status() == 503 && s.body().contains("stray-workers"));
      assertThat(ready.body()).contains("workerGroups");
      assertThat(Scrape.get(worker.metricsPort(), "/metrics").body())
          .containsPattern("pgfleet_worker_foreign_groups(\\{[^}]*\\})? 1\\.0");
    }
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> Scrape.get(worker.metricsPort(), "/health/ready").status() == 200);
    FaultSummary.record("second worker group on a prefix", 1, 0, 0, 0, 0);
  }

  private static Commands.Builder healthCheck(String target) {
    return Commands.of(Operation.HEALTH_CHECK, target, HealthCheckParams.defaults());
  }
}
