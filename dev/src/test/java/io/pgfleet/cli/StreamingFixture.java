package io.pgfleet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgfleet.commands.wire.Topics;
import io.pgfleet.dev.LocalWorkerConfigs;
import io.pgfleet.local.LocalPostgres;
import io.pgfleet.local.LocalStack;
import io.pgfleet.local.SampleFleet;
import io.pgfleet.local.SampleFleet.SampleDatabase;
import io.pgfleet.worker.config.PitrSettings;
import io.pgfleet.worker.config.RunSettings;
import io.pgfleet.worker.config.TargetConfig;
import io.pgfleet.worker.config.WalStreamSettings;
import io.pgfleet.worker.config.WorkerConfig;
import io.pgfleet.worker.wal.WalArchive;
import io.pgfleet.worker.wal.WalFileName;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * What the WAL streaming tests share: a primary with a standby and a copy, a worker streaming one
 * target (1 s partial interval, 6 s lease), SQL as the server's superuser, and a copy of the server
 * recovered to the end of the archive through {@code pgfleet wal-fetch}.
 */
final class StreamingFixture {
  private StreamingFixture() {}

  /**
   * A primary of its own holding {@code target} (sample {@code order_db}, its owner may replicate,
   * an empty table {@code moves (id, side)}), a streaming standby of it running, and a stopped copy
   * {@code base} taken before either was written to. Closing stops the copies, then the primary.
   */
  record Servers(LocalPostgres primary, SampleDatabase db, Standby standby, Standby base)
      implements AutoCloseable {
    @Override
    public void close() throws Exception {
      try (primary;
          standby;
          base) {
        // closed in reverse: the copies first
      }
    }
  }

  /**
   * Starts {@link Servers} below {@code shared} (made readable to the servers' OS user) and creates
   * the ledger database {@link #worker} uses for {@code name}.
   */
  static Servers servers(LocalStack stack, Path shared, String name, String target)
      throws Exception {
    Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-xr-x"));
    stack
        .postgres()
        .createDatabase(name.replace('-', '_') + "_ledger", stack.postgres().superuser());
    LocalPostgres primary = LocalPostgres.start(shared.resolve("primary"));
    Standby standby = null;
    Standby base = null;
    try {
      SampleDatabase db = SampleFleet.create(primary, "order_db", target);
      primary.execute("postgres", "ALTER ROLE \"" + db.owner() + "\" REPLICATION");
      sql(primary.jdbcUrl(target), primary, "CREATE TABLE moves (id int, side text)");
      Path copies = Files.createDirectories(shared.resolve("copies"));
      standby = Standby.copy(primary, copies, "standby", true);
      base = Standby.copy(primary, copies, "base", false);
      standby.start();
      return new Servers(primary, db, standby, base);
    } catch (Exception | Error e) {
      try (primary;
          Standby s = standby;
          Standby b = base) {
        throw e;
      }
    }
  }

  /**
   * A worker config streaming {@code db} at {@code port} of {@code server}'s host; {@code name}
   * names the topics, bucket and ledger database ({@code -} becomes {@code _}).
   */
  static WorkerConfig worker(
      LocalStack stack,
      String name,
      String workerId,
      LocalPostgres server,
      SampleDatabase db,
      int port) {
    WorkerConfig base =
        LocalWorkerConfigs.of(
            stack.kafka(),
            stack.s3(),
            stack.postgres(),
            server,
            workerId,
            new Topics(name),
            name,
            name.replace('-', '_') + "_ledger",
            List.of(db));
    TargetConfig target =
        base.targets().get(db.name()).toBuilder()
            .port(port)
            .pitr(
                new PitrSettings(null, null, null, server.binDir(), null)
                    .withStream(new WalStreamSettings(true, null, Duration.ofSeconds(1))))
            .build();
    RunSettings runs = base.runs();
    return new WorkerConfig(
        base.workerId(),
        base.kafka(),
        base.ledger(),
        base.storage(),
        new RunSettings(
            Duration.ofSeconds(6),
            runs.maxConcurrentRuns(),
            runs.progressInterval(),
            runs.shutdownGrace(),
            runs.tries(),
            runs.retryBackoff()),
        base.security(),
        Map.of(db.name(), target),
        base.encryption());
  }

  /**
   * Starts {@code copy} as a recovery of {@code target}'s archive through {@code pgfleet wal-fetch}
   * ({@code recovery_target_timeline = latest}) and waits until it has promoted.
   */
  static void recoverToEnd(
      Standby copy, Path pgfleet, Path archiveConfig, String target, LocalPostgres server)
      throws Exception {
    Files.writeString(copy.dataDir().resolve("recovery.signal"), "");
    copy.configure(
        String.join(
            "\n",
            "restore_command = '"
                + pgfleet
                + " wal-fetch --config "
                + archiveConfig
                + " --target "
                + target
                + " %f %p'",
            "recovery_target_timeline = 'latest'",
            "recovery_target_action = 'promote'"));
    copy.start();
    await("recovery to the end of the archive")
        .atMost(Duration.ofSeconds(120))
        .ignoreExceptions()
        .until(
            () ->
                "f".equals(query(copy.jdbcUrl("postgres"), server, "SELECT pg_is_in_recovery()")));
  }

  /**
   * On a server promoted to timeline 2 (through {@code url}): runs {@code statement}, ends the
   * segment and waits until {@code archive} holds {@code 00000002.history} and that segment, whose
   * name it returns.
   */
  static String streamedOnTimeline2(
      WalArchive archive, String url, LocalPostgres server, String statement) throws Exception {
    sql(url, server, statement);
    String segment = switchWal(url, server);
    assertThat(segment).startsWith("00000002");
    await("the history file and timeline 2 streamed")
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                archive.list().contains(new WalFileName("00000002.history"))
                    && archive.list().contains(new WalFileName(segment)));
    return segment;
  }

  /**
   * {@code 00000002.history} fetched from {@code target}'s archive with wal-fetch into {@code dir}.
   */
  static String fetchedHistory(Path archiveConfig, String target, Path dir) throws Exception {
    Path history = dir.resolve("00000002.history");
    assertThat(
            Main.run(
                "wal-fetch",
                "-c",
                archiveConfig.toString(),
                "-t",
                target,
                "00000002.history",
                history.toString()))
        .as("wal-fetch 00000002.history")
        .isZero();
    return Files.readString(history);
  }

  /** The rows of the tests' table {@code moves}, as "side,side,..." in id order. */
  static String moves(String url, LocalPostgres server) throws Exception {
    return query(url, server, "SELECT string_agg(side, ',' ORDER BY id) FROM moves");
  }

  /** Ends the server's current WAL segment; returns its name. */
  static String switchWal(String url, LocalPostgres server) throws Exception {
    return query(url, server, "SELECT pg_walfile_name(pg_switch_wal())");
  }

  static void sql(String url, LocalPostgres server, String statement) throws Exception {
    try (Connection c = connect(url, server);
        Statement st = c.createStatement()) {
      st.execute(statement);
    }
  }

  static String query(String url, LocalPostgres server, String sql) throws Exception {
    try (Connection c = connect(url, server);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  /** Connects as {@code server}'s superuser (copies of it have the same roles). */
  static Connection connect(String url, LocalPostgres server) throws Exception {
    Properties p = new Properties();
    p.setProperty("user", server.superuser());
    p.setProperty("password", server.superuserPassword());
    return DriverManager.getConnection(url, p);
  }
}
