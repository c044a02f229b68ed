package io.pgfleet.dev;

import io.pgfleet.cli.client.ResultWatch;
import io.pgfleet.commands.Command;
import io.pgfleet.commands.Commands;
import io.pgfleet.commands.HealthCheckParams;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.VerifyBackupParams;
import io.pgfleet.commands.publish.CommandPublisher;
import io.pgfleet.commands.result.Outcome;
import io.pgfleet.commands.result.ResultEvent;
import io.pgfleet.commands.signing.CommandSigner;
import io.pgfleet.commands.signing.Ed25519Keys;
import io.pgfleet.commands.wire.Topics;
import io.pgfleet.dispatcher.Dispatcher;
import io.pgfleet.dispatcher.DispatcherConfigFile;
import io.pgfleet.local.LocalStack;
import io.pgfleet.local.PlatformSample;
import io.pgfleet.local.SampleFleet.SampleDatabase;
import io.pgfleet.worker.Worker;
import io.pgfleet.worker.config.WorkerConfig;
import io.pgfleet.worker.config.WorkerConfigFile;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * {@code pgfleet demo --fleet}: runbook 000's 17 service databases, one worker and the dispatcher
 * started from one fleet file derived from {@code fleet.example.yaml}.
 */
final class FleetDemo implements AutoCloseable {
  static final int DRILLS = 3;

  private final Path dir;
  private final PrintStream out;
  private final DemoSteps steps;
  private final KeyPair operatorKey = Ed25519Keys.generate();
  private final String token = UUID.randomUUID().toString();
  private LocalStack stack;
  private Worker worker;
  private Dispatcher dispatcher;
  private String statusPage;

  FleetDemo(Path dir, PrintStream out) {
    this.dir = dir;
    this.out = out;
    this.steps = new DemoSteps(out);
  }

  /** Runs the demo; true when every backup, drill, purge and health check succeeded. */
  boolean run() throws Exception {
    long t0 = System.nanoTime();
    steps.step("starting the local stack (Kafka in KRaft mode, S3Proxy, PostgreSQL) in " + dir);
    stack = LocalStack.start(dir);
    stack.s3().createBucket(Demo.BUCKET);
    stack.postgres().createDatabase(Demo.LEDGER_DATABASE, stack.postgres().superuser());
    steps.done(t0);

    steps.step("creating runbook 000's 17 service databases, each owned by its service's role");
    Map<String, String> passwords = new LinkedHashMap<>();
    FleetDemoFile.exampleTargets()
        .forEach(
            (name, userAndVariable) ->
                passwords.put(
                    userAndVariable[1],
                    PlatformSample.create(stack.postgres(), name, userAndVariable[0]).password()));
    steps.done(t0);

    Path file =
        FleetDemoFile.write(
            dir, stack, passwords, Ed25519Keys.encode(operatorKey.getPublic()), token);
    steps.step(
        "the fleet file, from fleet.example.yaml (passwords are {file:} references): " + file);
    Files.readAllLines(file).forEach(l -> out.println("  | " + l));
    steps.step("pgfleet config check " + file.getFileName());
    FleetCheck.print(file, out);

    WorkerConfig config = WorkerConfigFile.load(file);
    steps.step("starting ONE worker and the dispatcher from that file");
    worker = Worker.start(config);
    dispatcher = Dispatcher.start(DispatcherConfigFile.load(file));
    statusPage = dispatcher.uri() + "#token=" + token;
    out.println("  status page: " + statusPage);
    steps.done(t0);

    List<SampleDatabase> all = new ArrayList<>();
    config.targets().keySet().forEach(n -> all.add(new SampleDatabase(n, null, null)));
    Predicate<SampleDatabase> health =
        db -> config.target(db.name()).orElseThrow().operations().contains(Operation.HEALTH_CHECK);
    List<SampleDatabase> drilled =
        all.stream()
            .filter(
                db ->
                    config
                        .target(db.name())
                        .orElseThrow()
                        .operations()
                        .contains(Operation.VERIFY_BACKUP))
            .limit(DRILLS)
            .toList();
    FleetResults results = new FleetResults(out);
    try (ResultWatch watch =
            new ResultWatch(stack.kafka().bootstrapServers(), Topics.defaults(), Map.of());
        CommandPublisher publisher =
            CommandPublisher.connect(
                stack.kafka().bootstrapServers(), Topics.defaults(), Map.of())) {
      steps.step("backing up all " + all.size() + " databases; results as they arrive:");
      results.backups = submit(watch, publisher, all, db -> Commands.backup(db.name()));
      steps.step("restore drill of " + DRILLS + " of them:");
      results.drills =
          submit(
              watch,
              publisher,
              drilled,
              db -> Commands.of(Operation.VERIFY_BACKUP, db.name(), VerifyBackupParams.latest()));
      steps.step("every retention purge of every target (defaults, profiles audited and events):");
      results.purges = purgeAll(watch, publisher, config, results.policies);
      steps.step("health check of every database that allows it:");
      results.health =
          submit(
              watch,
              publisher,
              all.stream().filter(health).toList(),
              db -> Commands.of(Operation.HEALTH_CHECK, db.name(), HealthCheckParams.defaults()));
    }
    return results.print(all.size(), DemoSteps.seconds(t0));
  }

  private List<ResultEvent> submit(
      ResultWatch watch,
      CommandPublisher publisher,
      List<SampleDatabase> dbs,
      Function<SampleDatabase, Commands.Builder> command) {
    return new DemoSubmissions(watch, publisher, dbs, out).submitAll(command);
  }

  private List<ResultEvent> purgeAll(
      ResultWatch watch,
      CommandPublisher publisher,
      WorkerConfig config,
      Map<String, String> policies) {
    CommandSigner signer = new CommandSigner(DemoPurges.SIGNER, operatorKey.getPrivate());
    List<Command> commands = new ArrayList<>();
    config
        .targets()
        .forEach(
            (name, target) ->
                target
                    .purgePolicies()
                    .keySet()
                    .forEach(
                        policy -> {
                          Command c =
                              Commands.purge(name, policy)
                                  .source("urn:pgfleet:demo")
                                  .expiresAt(Instant.now().plus(Duration.ofMinutes(30)))
                                  .build();
                          publisher.publish(c, signer).join();
                          commands.add(c);
                          policies.put(c.id(), policy);
                        }));
    return new DemoSubmissions(watch, publisher, List.of(), out).awaitAll(commands);
  }

  void printEndpoints() {
    DemoEndpoints.print(out, stack, statusPage);
  }

  static boolean succeeded(ResultEvent e) {
    return e.outcome() == Outcome.SUCCEEDED;
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
