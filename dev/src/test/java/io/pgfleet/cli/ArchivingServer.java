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
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * A real server whose {@code archive_command} is {@code pgfleet wal-push} into the bucket {@code
 * name}, one target on it, and a worker with restore-pitr settings for it (topics, worker and
 * ledger named after {@code name}): what the point-in-time recovery tests start once per class.
 */
record ArchivingServer(
    String name,
    String target,
    LocalPostgres pg,
    Path archiveConfig,
    Worker worker,
    ResultStream results,
    CommandPublisher publisher)
    implements AutoCloseable {

  /**
   * {@code pitr} adjusts the settings made from {@code restoreRoot} for the started server
   * (streaming, its data directory).
   */
  static ArchivingServer start(
      LocalStack stack,
      String name,
      String target,
      Path restoreRoot,
      BiFunction<PitrSettings, LocalPostgres, PitrSettings> pitr)
      throws Exception {
    Path archiveConfig = ArchiveConfig.write(stack, name);
    Path pgfleet = PgfleetScript.shared();
    LocalPostgres pg =
        LocalPostgres.builder()
            .setting("archive_mode", "on")
            .setting(
                "archive_command",
                pgfleet + " wal-push --config " + archiveConfig + " --target " + target + " %p")
            .start(Files.createTempDirectory("pgfleet-" + name + "-pg"));
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
        CommandPublisher.connect(stack.kafka().bootstrapServers(), topics, Map.of()));
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
    pg.close();
  }
}
