package io.pgfleet.dev;

import io.pgfleet.cli.ResultPrinter;
import io.pgfleet.cli.ResultWatch;
import io.pgfleet.commands.Command;
import io.pgfleet.commands.Commands;
import io.pgfleet.commands.HealthCheckParams;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.VacuumParams;
import io.pgfleet.commands.VerifyBackupParams;
import io.pgfleet.commands.publish.CommandPublisher;
import io.pgfleet.commands.result.Artifact;
import io.pgfleet.commands.result.Outcome;
import io.pgfleet.commands.result.ResultEvent;
import io.pgfleet.commands.signing.CommandSigner;
import io.pgfleet.commands.signing.Ed25519Keys;
import io.pgfleet.commands.wire.Topics;
import io.pgfleet.dispatcher.Dispatcher;
import io.pgfleet.dispatcher.DispatcherConfig;
import io.pgfleet.dispatcher.api.ApiToken;
import io.pgfleet.dispatcher.api.Role;
import io.pgfleet.dispatcher.fleet.FleetSettings;
import io.pgfleet.dispatcher.fleet.TargetPolicy;
import io.pgfleet.dispatcher.schedule.SchedulingSettings;
import io.pgfleet.local.LocalStack;
import io.pgfleet.local.SampleFleet;
import io.pgfleet.local.SampleFleet.SampleDatabase;
import io.pgfleet.runtime.config.KafkaSettings;
import io.pgfleet.runtime.config.LedgerSettings;
import io.pgfleet.runtime.config.Secret;
import io.pgfleet.worker.Worker;
import io.pgfleet.worker.config.SecuritySettings;
import io.pgfleet.worker.config.SignaturePolicy;
import io.pgfleet.worker.config.TargetConfig;
import io.pgfleet.worker.config.TrustedSigner;
import io.pgfleet.worker.config.WorkerConfig;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The main job on the local stack: a few service databases backed up by a worker, every artifact
 * checked from outside with a plain S3 client and pg_restore, results shown as they arrive.
 */
final class Demo implements AutoCloseable {
  static final String BUCKET = "pgfleet-demo";
  static final String LEDGER_DATABASE = "pgfleet";

  private final Path dir;
  private final PrintStream out;
  private final Topics topics = Topics.defaults();
  private LocalStack stack;
  private Worker worker;
  private Dispatcher dispatcher;
  private String statusPage;
  private final String token = java.util.UUID.randomUUID().toString();
  private final java.security.KeyPair operatorKey = Ed25519Keys.generate();
  private List<SampleDatabase> databases = List.of();

  Demo(Path dir, PrintStream out) {
    this.dir = dir;
    this.out = out;
  }

  /** Runs the demo; true when every backup succeeded and verified. */
  boolean run() throws Exception {
    long t0 = System.nanoTime();
    step("starting the local stack (Kafka in KRaft mode, S3Proxy, PostgreSQL) in " + dir);
    stack = LocalStack.start(dir);
    stack.s3().createBucket(BUCKET);
    stack.postgres().createDatabase(LEDGER_DATABASE, stack.postgres().superuser());
    done(t0);

    step("creating sample service databases: " + String.join(", ", SampleFleet.DATABASES));
    databases = SampleFleet.create(stack.postgres());
    done(t0);

    step("starting worker demo-worker");
    worker = Worker.start(workerConfig());
    done(t0);

    step("starting the dispatcher (HTTP API and fleet status page)");
    dispatcher = Dispatcher.start(dispatcherConfig());
    statusPage = dispatcher.uri() + "#token=" + token;
    out.println("  status page: " + statusPage);
    done(t0);

    List<ResultEvent> ends;
    List<ResultEvent> drills;
    List<ResultEvent> health;
    List<ResultEvent> purges;
    List<ResultEvent> vacuums;
    try (ResultWatch watch = new ResultWatch(stack.kafka().bootstrapServers(), topics, Map.of());
        CommandPublisher publisher =
            CommandPublisher.connect(stack.kafka().bootstrapServers(), topics, Map.of())) {
      step("backing up every database (pg_dump streamed to S3); results as they arrive:");
      ends = submitAll(watch, publisher, db -> Commands.backup(db.name()));
      step("restore drill of every backup: restored into a scratch database, counts compared:");
      drills =
          submitAll(
              watch,
              publisher,
              db -> Commands.of(Operation.VERIFY_BACKUP, db.name(), VerifyBackupParams.latest()));
      step("retention purges (outbox, idempotency keys; audit rows archived to S3 first):");
      CommandSigner operator = new CommandSigner(DemoPurges.SIGNER, operatorKey.getPrivate());
      List<Command> purgeCommands = new ArrayList<>();
      for (SampleDatabase db : databases) {
        for (var policy : DemoPurges.policiesFor(db.name())) {
          Command c =
              Commands.purge(db.name(), policy.name())
                  .source("urn:pgfleet:demo")
                  .expiresAt(java.time.Instant.now().plus(Duration.ofMinutes(30)))
                  .build();
          publisher.publish(c, operator).join();
          purgeCommands.add(c);
        }
      }
      purges = awaitAll(watch, purgeCommands);
      step("VACUUM ANALYZE after the large deletes, as the runbooks do:");
      vacuums =
          submitAll(
              watch,
              publisher,
              db -> Commands.of(Operation.VACUUM, db.name(), VacuumParams.defaults()));
      step("daily health check of every database (findings that are not ok are listed):");
      health =
          submitAll(
              watch,
              publisher,
              db -> Commands.of(Operation.HEALTH_CHECK, db.name(), HealthCheckParams.defaults()));
    }

    step(
        "checking every artifact from outside: a plain S3 client, sha256 against the manifest, pg_restore --list");
    int verified = 0;
    try (ArtifactCheck check = new ArtifactCheck(stack.s3(), dir.resolve("downloads"))) {
      for (ResultEvent end : ends) {
        if (end.outcome() != Outcome.SUCCEEDED) {
          out.printf(
              "  %-14s %s: %s%n", end.subject(), end.outcome().wireName(), end.data().error());
          continue;
        }
        for (Artifact artifact : end.data().artifacts()) {
          ArtifactCheck.Report report = check.verify(artifact);
          out.printf("  %-14s %s%n", end.subject(), report);
          verified += report.ok() ? 1 : 0;
        }
      }
    }
    long drilled = drills.stream().filter(d -> d.outcome() == Outcome.SUCCEEDED).count();
    out.printf(
        "%n%d of %d databases backed up, %d restore drills passed, %d artifacts verified from"
            + " outside, in %.1f s%n",
        ends.stream().filter(e -> e.outcome() == Outcome.SUCCEEDED).count(),
        databases.size(),
        drilled,
        verified,
        seconds(t0));
    long checked = health.stream().filter(h -> h.outcome() == Outcome.SUCCEEDED).count();
    long purged = purges.stream().filter(p -> p.outcome() == Outcome.SUCCEEDED).count();
    out.printf(
        "%d of %d databases health-checked, %d of %d retention purges done%n",
        checked, databases.size(), purged, purges.size());
    return verified == databases.size()
        && drilled == databases.size()
        && checked == databases.size()
        && purged == purges.size()
        && vacuums.stream().allMatch(v -> v.outcome() == Outcome.SUCCEEDED);
  }

  /** Publishes one command per sample database and waits for all their results. */
  private List<ResultEvent> submitAll(
      ResultWatch watch,
      CommandPublisher publisher,
      java.util.function.Function<SampleDatabase, Commands.Builder> command) {
    List<Command> commands = new ArrayList<>();
    for (SampleDatabase db : databases) {
      Command c = command.apply(db).source("urn:pgfleet:demo").build();
      publisher.publish(c).join();
      commands.add(c);
    }
    return awaitAll(watch, commands);
  }

  private List<ResultEvent> awaitAll(ResultWatch watch, List<Command> commands) {
    ResultPrinter printer = new ResultPrinter(out);
    Set<String> open = new java.util.HashSet<>(commands.stream().map(Command::id).toList());
    List<ResultEvent> ends = new ArrayList<>();
    watch.follow(
        e -> {
          if (e.outcome().isTerminal() && open.remove(e.data().commandId())) {
            ends.add(e);
          }
          return open.isEmpty();
        },
        e -> {
          if (commands.stream().anyMatch(c -> c.id().equals(e.data().commandId()))) {
            printer.print(e);
          }
        },
        Duration.ofMinutes(5));
    if (!open.isEmpty()) {
      throw new IllegalStateException("no result within 5 minutes for " + open);
    }
    return ends;
  }

  /**
   * The local worker config, with the runbooks' retention policies on the sample databases and the
   * demo operator's key trusted: purges that keep no archive are destructive, so signed.
   */
  WorkerConfig workerConfig() {
    WorkerConfig base =
        LocalWorkerConfigs.of(stack, "demo-worker", topics, BUCKET, LEDGER_DATABASE, databases);
    Map<String, TargetConfig> targets = new LinkedHashMap<>();
    base.targets()
        .forEach(
            (name, t) -> {
              TargetConfig.Builder b = t.toBuilder();
              DemoPurges.policiesFor(name).forEach(b::purgePolicy);
              targets.put(name, b.build());
            });
    SecuritySettings security =
        new SecuritySettings(
            Map.of(
                DemoPurges.SIGNER,
                new TrustedSigner(
                    DemoPurges.SIGNER, operatorKey.getPublic(), Set.of(), List.of("*"))),
            SignaturePolicy.DESTRUCTIVE,
            Duration.ofHours(1));
    return new WorkerConfig(
        base.workerId(),
        base.kafka(),
        base.ledger(),
        base.storage(),
        base.runs(),
        security,
        targets,
        base.encryption(),
        base.metrics());
  }

  DispatcherConfig dispatcherConfig() {
    return new DispatcherConfig(
        "demo-dispatcher",
        new KafkaSettings(
            stack.kafka().bootstrapServers(), topics, topics.prefix() + "-dispatcher", Map.of()),
        new LedgerSettings(
            stack.postgres().jdbcUrl(LEDGER_DATABASE),
            stack.postgres().superuser(),
            Secret.literal(stack.postgres().superuserPassword()),
            4),
        new InetSocketAddress("127.0.0.1", 0),
        List.of(ApiToken.ofSecret("demo", Role.OPERATOR, token)),
        new FleetSettings(true, TargetPolicy.defaults(), Map.of()),
        SchedulingSettings.defaults(),
        List.of());
  }

  void printEndpoints() {
    out.println();
    out.println("The local stack stays up until Ctrl-C:");
    out.println("  Kafka       " + stack.kafka().bootstrapServers());
    out.println("  S3          " + stack.s3().endpoint() + "  bucket " + BUCKET + "  (path-style)");
    out.println(
        "  S3 keys     AWS_ACCESS_KEY_ID="
            + stack.s3().accessKey()
            + " AWS_SECRET_ACCESS_KEY="
            + stack.s3().secretKey()
            + "  (generated for this local stack only)");
    out.println("  status page " + statusPage);
    out.println(
        "  PostgreSQL  "
            + stack.postgres().host()
            + ":"
            + stack.postgres().port()
            + "  databases "
            + SampleFleet.DATABASES);
    out.println(
        "  PG login    user "
            + stack.postgres().superuser()
            + " password "
            + stack.postgres().superuserPassword()
            + "  (generated for this local stack only)");
    out.println(
        "              psql -h "
            + stack.postgres().host()
            + " -p "
            + stack.postgres().port()
            + " -U "
            + stack.postgres().superuser()
            + " order_db");
    out.println("Try, from another terminal:");
    out.println(
        "  ./pgfleet submit backup --target order_db --wait -b "
            + stack.kafka().bootstrapServers());
  }

  private void step(String what) {
    out.println("▸ " + what);
  }

  private void done(long t0) {
    out.printf("  done (%.1f s)%n", seconds(t0));
  }

  private static double seconds(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  @Override
  public void close() {
    if (dispatcher != null) {
      dispatcher.close();
    }
    if (worker != null) {
      worker.close();
    }
    if (stack != null) {
      stack.close();
    }
  }
}
