package io.pgfleet.worker;

import static io.pgfleet.runtime.Resources.add;
import static io.pgfleet.runtime.Resources.closeAll;

import io.pgfleet.commands.Operation;
import io.pgfleet.runtime.Topology;
import io.pgfleet.runtime.config.KafkaSettings;
import io.pgfleet.runtime.metrics.MetricsEndpoint;
import io.pgfleet.runtime.metrics.Readiness;
import io.pgfleet.runtime.metrics.ReadinessChecks;
import io.pgfleet.worker.config.EncryptionKeys;
import io.pgfleet.worker.config.WorkerConfig;
import io.pgfleet.worker.discovery.Discovery;
import io.pgfleet.worker.discovery.Retirement;
import io.pgfleet.worker.intake.CommandIntake;
import io.pgfleet.worker.ledger.BackupCatalog;
import io.pgfleet.worker.ledger.Ledger;
import io.pgfleet.worker.ledger.StreamLeases;
import io.pgfleet.worker.metrics.ForeignWorkerGroups;
import io.pgfleet.worker.metrics.RecoverableWindowWatch;
import io.pgfleet.worker.metrics.WorkerMetrics;
import io.pgfleet.worker.procedure.Procedure;
import io.pgfleet.worker.procedure.analyze.AnalyzeProcedure;
import io.pgfleet.worker.procedure.backup.BackupProcedure;
import io.pgfleet.worker.procedure.basebackup.BaseBackupProcedure;
import io.pgfleet.worker.procedure.health.HealthCheckProcedure;
import io.pgfleet.worker.procedure.health.HealthHistory;
import io.pgfleet.worker.procedure.integrity.CheckIntegrityProcedure;
import io.pgfleet.worker.procedure.pitr.RestorePitrProcedure;
import io.pgfleet.worker.procedure.pitr.VerifyBaseBackupProcedure;
import io.pgfleet.worker.procedure.prune.PruneBackupsProcedure;
import io.pgfleet.worker.procedure.purge.PurgeProcedure;
import io.pgfleet.worker.procedure.reindex.ReindexProcedure;
import io.pgfleet.worker.procedure.repack.RepackProcedure;
import io.pgfleet.worker.procedure.restore.RestoreProcedure;
import io.pgfleet.worker.procedure.statements.ResetStatementStatsProcedure;
import io.pgfleet.worker.procedure.terminate.TerminateBackendsProcedure;
import io.pgfleet.worker.procedure.vacuum.VacuumProcedure;
import io.pgfleet.worker.procedure.verify.VerifyBackupProcedure;
import io.pgfleet.worker.result.ResultPublisher;
import io.pgfleet.worker.run.RunExecutor;
import io.pgfleet.worker.storage.ArtifactStore;
import io.pgfleet.worker.target.IdleConnections;
import io.pgfleet.worker.target.LiveTargets;
import io.pgfleet.worker.target.TargetDatabase;
import io.pgfleet.worker.wal.stream.WalStreams;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stateless worker: consumes the command topics of its targets, executes each command at most
 * once (the ledger decides), stores artifacts in S3 and publishes one result per run. Start as many
 * as you like in the same consumer group.
 */
public final class Worker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Worker.class);

  private final WorkerConfig config;
  private final List<AutoCloseable> resources;
  private final CommandIntake intake;
  private final MetricsEndpoint endpoint;
  private final WalStreams streams;
  private final LiveTargets targets;
  private final Discovery discovery;

  private Worker(
      WorkerConfig config,
      List<AutoCloseable> resources,
      CommandIntake intake,
      MetricsEndpoint endpoint,
      WalStreams streams,
      LiveTargets targets,
      Discovery discovery) {
    this.config = config;
    this.resources = resources;
    this.intake = intake;
    this.endpoint = endpoint;
    this.streams = streams;
    this.targets = targets;
    this.discovery = discovery;
  }

  public static Worker start(WorkerConfig config) {
    return start(config, Clock.systemUTC());
  }

  public static Worker start(WorkerConfig config, Clock clock) {
    List<AutoCloseable> resources = new ArrayList<>();
    try {
      KafkaSettings kafka = config.kafka();
      Backends backends = Backends.open(config, resources);
      Ledger ledger = backends.ledger();
      ArtifactStore store = backends.store();
      WorkerMetrics metrics = new WorkerMetrics();
      ResultPublisher results =
          add(
              resources,
              ResultPublisher.connect(
                  kafka.bootstrapServers(), kafka.topics(), kafka.properties()));
      RunExecutor executor =
          add(
              resources,
              new RunExecutor(
                  config.workerId(), ledger, store, results, config.runs(), metrics, clock));
      Map<String, TargetDatabase> targets = targets(config);
      add(resources, IdleConnections.watch(targets.values()));
      WalStreams streams =
          add(
              resources,
              WalStreams.start(
                  config.workerId(),
                  targets,
                  new StreamLeases(ledger.dataSource()),
                  store,
                  config.runs().leaseTtl(),
                  metrics));
      LiveTargets live = new LiveTargets(targets);
      Discovery discovery =
          add(
              resources,
              Discovery.start(
                  config.discovery(),
                  live,
                  names -> Topology.ensure(kafka, names),
                  metrics.discovery(),
                  clock));
      CommandIntake intake =
          CommandIntake.start(
              config,
              live,
              procedures(config, ledger, clock),
              executor,
              results,
              store,
              metrics,
              clock);
      MetricsEndpoint endpoint =
          config.metrics().enabled()
              ? add(
                  resources, endpoint(config, metrics, ledger, store, intake, discovery, resources))
              : null;
      log.info(
          "worker {} serving {} target(s): {}",
          config.workerId(),
          live.names().size(),
          live.names());
      return new Worker(config, resources, intake, endpoint, streams, live, discovery);
    } catch (RuntimeException e) {
      closeAll(resources);
      throw e;
    }
  }

  private static MetricsEndpoint endpoint(
      WorkerConfig config,
      WorkerMetrics metrics,
      Ledger ledger,
      ArtifactStore store,
      CommandIntake intake,
      Discovery discovery,
      List<AutoCloseable> resources) {
    remember(config, ledger, metrics);
    add(
        resources,
        new RecoverableWindowWatch(
            store,
            List.copyOf(config.targets().keySet()),
            metrics,
            RecoverableWindowWatch.INTERVAL));
    Admin admin = add(resources, ReadinessChecks.admin(config.kafka()));
    Map<String, Readiness.Check> checks =
        ReadinessChecks.kafkaAndLedger(admin, ledger.dataSource());
    checks.put("storage", store::requireBucket);
    checks.put(
        "workerGroups", new ForeignWorkerGroups(admin, config.kafka(), config.metrics(), metrics));
    checks.put("intake", () -> intakeMovesOn(intake));
    if (!config.discovery().isEmpty()) {
      checks.put("discovery", discovery::check);
    }
    MetricsEndpoint endpoint =
        MetricsEndpoint.start(config.metrics().port(), metrics::scrape, checks);
    log.info("metrics and health on port {}", endpoint.port());
    return endpoint;
  }

  /** Not ready while a target's next command keeps failing to be handled (a stalled partition). */
  private static void intakeMovesOn(CommandIntake intake) throws Readiness.NotReady {
    Map<String, java.time.Duration> stalls = intake.stalls();
    if (!stalls.isEmpty()) {
      StringBuilder why = new StringBuilder("stalled: ");
      stalls.forEach(
          (topic, d) -> why.append(topic).append(" for ").append(d.toSeconds()).append(" s; "));
      throw new Readiness.NotReady(why.append("see the worker's log").toString());
    }
  }

  private static void remember(WorkerConfig config, Ledger ledger, WorkerMetrics metrics) {
    BackupCatalog catalog = ledger.catalog();
    for (String target : config.targets().keySet()) {
      catalog
          .latest(target, "logical")
          .ifPresent(b -> metrics.remembered(target, b.createdAt(), b.verifiedAt()));
      ledger
          .lastSucceeded(target, Operation.CHECK_INTEGRITY.wireName())
          .filter(r -> r.findings() != null && r.finishedAt() != null)
          .ifPresent(r -> metrics.integrityChecked(target, r.findings(), r.finishedAt()));
    }
  }

  private static Map<String, TargetDatabase> targets(WorkerConfig config) {
    Map<String, TargetDatabase> targets = new LinkedHashMap<>();
    config.targets().forEach((name, target) -> targets.put(name, new TargetDatabase(target)));
    return targets;
  }

  private static Map<Operation, Procedure> procedures(
      WorkerConfig config, Ledger ledger, Clock clock) {
    Map<Operation, Procedure> procedures = new EnumMap<>(Operation.class);
    BackupCatalog catalog = ledger.catalog();
    EncryptionKeys keys = config.encryption();
    for (Procedure p :
        List.of(
            new BackupProcedure(keys, clock),
            new VerifyBackupProcedure(catalog, keys, clock),
            new RestoreProcedure(catalog, keys, clock),
            new PruneBackupsProcedure(catalog, clock),
            new VacuumProcedure(),
            new AnalyzeProcedure(),
            new ReindexProcedure(),
            new HealthCheckProcedure(clock, HealthHistory.fromReports(ledger::lastSucceeded)),
            new TerminateBackendsProcedure(),
            new PurgeProcedure(clock),
            new BaseBackupProcedure(clock),
            new RestorePitrProcedure(catalog),
            new CheckIntegrityProcedure(clock, ledger::lastSucceeded),
            new RepackProcedure(ledger::lastSucceeded),
            new ResetStatementStatsProcedure(),
            new VerifyBaseBackupProcedure(catalog))) {
      procedures.put(p.operation(), p);
    }
    return procedures;
  }

  public WorkerConfig config() {
    return config;
  }

  /** The names of the targets served now, configured and discovered. */
  public java.util.Set<String> targets() {
    return targets.names();
  }

  /** Discovered targets retired while this worker ran, by name (see {@code discovery}). */
  public Map<String, Retirement> retired() {
    return discovery.retired();
  }

  /** The port of the metrics and health endpoint, or -1 when it is disabled. */
  public int metricsPort() {
    return endpoint == null ? -1 : endpoint.port();
  }

  /** How often partitions were revoked from or lost by this worker while it ran. */
  public int rebalances() {
    return intake.rebalances();
  }

  /** The targets whose WAL this worker streams now (see {@code pitr.stream}). */
  public java.util.Set<String> streaming() {
    return streams.streaming();
  }

  /** Blocks until the worker stops (a shutdown hook or {@link #close()}). */
  public void awaitTermination() throws InterruptedException {
    intake.join();
  }

  /** Stops consuming, lets running commands finish within the grace period, releases the rest. */
  @Override
  public void close() {
    intake.stop();
    closeAll(resources);
    log.info("worker {} stopped", config.workerId());
  }
}
