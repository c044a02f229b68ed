package io.pgfleet.dev;

import io.pgfleet.cli.client.ResultWatch;
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
import io.pgfleet.local.LocalStack;
import io.pgfleet.local.SampleFleet;
import io.pgfleet.local.SampleFleet.SampleDatabase;
import io.pgfleet.worker.Worker;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The main job on the local stack: a few service databases backed up by a worker, every artifact
 * checked from outside with a plain S3 client and pg_restore, results shown as they arrive.
 */
final class Demo implements AutoCloseable {
  static final String BUCKET = "pgfleet-demo";
  static final String LEDGER_DATABASE = "pgfleet";

  private final Path dir;
  private final PrintStream out;
  private final DemoSteps steps;
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
    this.steps = new DemoSteps(out);
  }

  /** Runs the demo; true when every backup succeeded and verified. */
  boolean run() throws Exception {
    long t0 = System.nanoTime();
    steps.step("starting the local stack (Kafka in KRaft mode, S3Proxy, PostgreSQL) in " + dir);
    stack = LocalStack.start(dir);
    stack.s3().createBucket(BUCKET);
    stack.postgres().createDatabase(LEDGER_DATABASE, stack.postgres().superuser());
    steps.done(t0);

    steps.step("creating sample service databases: " + String.join(", ", SampleFleet.DATABASES));
    databases = SampleFleet.create(stack.postgres());
    steps.done(t0);

    steps.step("starting worker demo-worker");
    worker = Worker.start(DemoConfigs.worker(stack, topics, databases, operatorKey.getPublic()));
    steps.done(t0);

    steps.step("starting the dispatcher (HTTP API and fleet status page)");
    dispatcher = Dispatcher.start(DemoConfigs.dispatcher(stack, topics, token));
    statusPage = dispatcher.uri() + "#token=" + token;
    out.println("  status page: " + statusPage);
    steps.done(t0);

    List<ResultEvent> ends;
    List<ResultEvent> drills;
    List<ResultEvent> health;
    List<ResultEvent> purges;
    List<ResultEvent> vacuums;
    try (ResultWatch watch = new ResultWatch(stack.kafka().bootstrapServers(), topics, Map.of());
        CommandPublisher publisher =
            CommandPublisher.connect(stack.kafka().bootstrapServers(), topics, Map.of())) {
      DemoSubmissions submit = new DemoSubmissions(watch, publisher, databases, out);
      steps.step("backing up every database (pg_dump streamed to S3); results as they arrive:");
      ends = submit.submitAll(db -> Commands.backup(db.name()));
      steps.step(
          "restore drill of every backup: restored into a scratch database, each table's content"
              + " compared with the manifest:");
      drills =
          submit.submitAll(
              db -> Commands.of(Operation.VERIFY_BACKUP, db.name(), VerifyBackupParams.latest()));
      steps.step("retention purges (outbox, idempotency keys; audit rows archived to S3 first):");
      purges = submit.purgeAll(new CommandSigner(DemoPurges.SIGNER, operatorKey.getPrivate()));
      steps.step("VACUUM ANALYZE after the large deletes, as the runbooks do:");
      vacuums =
          submit.submitAll(db -> Commands.of(Operation.VACUUM, db.name(), VacuumParams.defaults()));
      steps.step("daily health check of every database (findings that are not ok are listed):");
      health =
          submit.submitAll(
              db -> Commands.of(Operation.HEALTH_CHECK, db.name(), HealthCheckParams.defaults()));
    }

    steps.step(
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
        DemoSteps.seconds(t0));
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

  void printEndpoints() {
    DemoEndpoints.print(out, stack, statusPage);
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
