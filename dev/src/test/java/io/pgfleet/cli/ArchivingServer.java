package io.pgfleet.cli;

import static org.awaitility.Awaitility.await;

import io.pgfleet.commands.publish.CommandPublisher;
import io.pgfleet.commands.wire.Topics;
import io.pgfleet.dev.LocalWorkerConfigs;
import io.pgfleet.local.LocalPostgres;
import io.pgfleet.local.LocalStack;
import io.pgfleet.local.SampleFleet;
import io.pgfleet.local.SampleFleet.SampleDatabase;
import io.pgfleet.worker.ResultStream;
import io.pgfleet.worker.Worker;
import io.pgfleet.worker.config.PitrSettings;
import io.pgfleet.worker.config.TargetConfig;
import io.pgfleet.worker.config.WorkerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * A real server archiving into the bucket {@code name} ({@link Archiving}), one target on it, and a
 * worker with restore-pitr settings for it (topics, worker and ledger named after {@code name}):
 * what the point-in-time recovery tests start once per class.
 */
record ArchivingServer(
    String name,
    String target,
    LocalPostgres pg,
    Path archiveConfig,
    Worker worker,
    ResultStream results,
    CommandPublisher publisher,
    Optional<WalAgentProcess> agent)
    implements AutoCloseable {

  /** The server's archive_command. */
  enum Archiving {
    /** {@code pgfleet wal-push}: a JVM per file, as most operators start. */
    WAL_PUSH,
    /**
     * {@code pgfleet-wal-push} fed by a {@code pgfleet wal-agent} this class runs: no JVM per file,
     * for tests that do not test wal-push itself.
     */
    WAL_AGENT
  }

  /**
   * {@code pitr} adjusts the settings made from {@code restoreRoot} for the started server
   * (streaming, its data directory).
   */
  static ArchivingServer start(
      LocalStack stack,
      String name,
      String target,
      Path restoreRoot,
      Archiving archiving,
      BiFunction<PitrSettings, LocalPostgres, PitrSettings> pitr)
      throws Exception {
    Path archiveConfig = ArchiveConfig.write(stack, name);
    Path pgfleet = PgfleetScript.shared();
    Path agentDir =
        archiving == Archiving.WAL_AGENT ? TempDirs.create("pgfleet-" + name + "-agent") : null;
    String archiveCommand =
        archiving == Archiving.WAL_PUSH
            ? pgfleet + " wal-push --config " + archiveConfig + " --target " + target + " %p"
            : agentClient(agentDir) + " -t 20 " + agentDir.resolve("spool") + " %p";
    LocalPostgres pg =
        LocalPostgres.builder()
            .setting("archive_mode", "on")
            .setting("archive_command", archiveCommand)
            .start(Files.createTempDirectory("pgfleet-" + name + "-pg"));
    // before the first segment is complete: the archiver would wait a minute to retry it
    Optional<WalAgentProcess> agent =
        archiving == Archiving.WAL_AGENT
            ? Optional.of(startAgent(agentDir, archiveConfig, target, pg))
            : Optional.empty();
    try {
      return start(stack, name, target, restoreRoot, pitr, archiveConfig, pgfleet, pg, agent);
    } catch (Exception | Error e) {
      if (agent.isPresent()) {
        agent.get().close(); // a process of its own: it would outlive this JVM
      }
      throw e;
    }
  }

  private static Path agentClient(Path agentDir) throws Exception {
    Files.setPosixFilePermissions(agentDir, PosixFilePermissions.fromString("rwxr-xr-x"));
    return WalAgentProcess.client(Files.createDirectories(agentDir.resolve("bin")));
  }

  /** The agent on a spool only the server's OS user may use, as wal-agent requires. */
  private static WalAgentProcess startAgent(
      Path agentDir, Path archiveConfig, String target, LocalPostgres pg) throws Exception {
    Path pgWal = pg.dataDir().resolve("pg_wal");
    Path spool = Files.createDirectories(agentDir.resolve("spool"));
    Files.setOwner(spool, Files.getOwner(pgWal));
    Files.setPosixFilePermissions(spool, PosixFilePermissions.fromString("rwx------"));
    return WalAgentProcess.start(
        archiveConfig, target, pgWal, spool, agentDir.resolve("agent.log"));
  }

  private static ArchivingServer start(
      LocalStack stack,
      String name,
      String target,
      Path restoreRoot,
      BiFunction<PitrSettings, LocalPostgres, PitrSettings> pitr,
      Path archiveConfig,
      Path pgfleet,
      LocalPostgres pg,
      Optional<WalAgentProcess> agent)
      throws Exception {
    SampleDatabase db = SampleFleet.create(pg, "order_db", target);
    pg.execute("postgres", "ALTER ROLE \"" + db.owner() + "\" REPLICATION");
    String ledger = name.replace('-', '_') + "_ledger";
    stack.postgres().createDatabase(ledger, stack.postgres().superuser());
    Topics topics = new Topics(name);
    WorkerConfig base =
        LocalWorkerConfigs.of(
            stack.kafka(),
            stack.s3(),
            stack.postgres(),
            pg,
            name + "-worker",
            topics,
            name,
            ledger,
            List.of(db));
    PitrSettings settings =
        pitr.apply(
            new PitrSettings(pgfleet.toString(), archiveConfig, restoreRoot, pg.binDir(), null),
            pg);
    Map<String, TargetConfig> targets = new LinkedHashMap<>();
    base.targets().forEach((t, c) -> targets.put(t, c.toBuilder().pitr(settings).build()));
    Worker worker =
        Worker.start(
            new WorkerConfig(
                base.workerId(),
                base.kafka(),
                base.ledger(),
                base.storage(),
                base.runs(),
                base.security(),
                targets,
                base.encryption()));
    return new ArchivingServer(
        name,
        target,
        pg,
        archiveConfig,
        worker,
        new ResultStream(stack.kafka().bootstrapServers(), topics.results()),
        CommandPublisher.connect(stack.kafka().bootstrapServers(), topics, Map.of()),
        agent);
  }

  /** Runs the statements in the target database. */
  void sql(String... statements) throws Exception {
    try (Connection c = pg.connect(target);
        Statement st = c.createStatement()) {
      for (String s : statements) {
        st.execute(s);
      }
    }
  }

  /** Ends the current segment and waits until the archiver has pushed it; returns its name. */
  String switchAndAwaitArchived() throws Exception {
    String segment = text("SELECT pg_walfile_name(pg_switch_wal())");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                text("SELECT coalesce(last_archived_wal, '') FROM pg_stat_archiver")
                        .compareTo(segment)
                    >= 0);
    return segment;
  }

  private String text(String query) throws Exception {
    try (Connection c = pg.connect("postgres");
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(query)) {
      rs.next();
      return rs.getString(1);
    }
  }

  @Override
  public void close() throws InterruptedException {
    worker.close();
    results.close();
    publisher.close();
    pg.close(); // its last segments archived at shutdown: the agent goes after it
    if (agent.isPresent()) {
      agent.get().close();
    }
  }
}
