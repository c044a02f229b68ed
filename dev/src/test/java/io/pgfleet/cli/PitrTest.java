package io.pgfleet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.pgfleet.commands.Command;
import io.pgfleet.commands.Commands;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.OperationParams;
import io.pgfleet.commands.RecoveryTargetAction;
import io.pgfleet.commands.RestorePitrParams;
import io.pgfleet.commands.VerifyBaseBackupParams;
import io.pgfleet.commands.publish.CommandPublisher;
import io.pgfleet.commands.result.Outcome;
import io.pgfleet.commands.result.ResultEvent;
import io.pgfleet.local.LocalPostgres;
import io.pgfleet.local.LocalStack;
import io.pgfleet.worker.ResultStream;
import io.pgfleet.worker.config.WalStreamSettings;
import io.pgfleet.worker.config.WorkerConfigFile;
import io.pgfleet.worker.storage.ArtifactStore;
import io.pgfleet.worker.storage.ObjectContent;
import io.pgfleet.worker.wal.WalArchive;
import io.pgfleet.worker.wal.WalFileName;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Point-in-time recovery end to end on a real server archiving through {@code pgfleet wal-agent}:
 * base-backup, WAL, restore-pitr to a moment, and a gap in the archive that wal-check reports and
 * recovery refuses to cross; the target actions pause and shutdown. One base backup and one moment
 * serve every test ({@link #moment()}): each recovers from them into a directory of its own.
 */
class PitrTest {
  private static final LocalStack stack = LocalStack.shared();
  private static final String BUCKET = "cli-pitr";
  private static final String TARGET = "pitr_order_db";
  private static final Duration PARTIAL_INTERVAL = Duration.ofSeconds(1);
  private static LocalPostgres pg;
  private static Path archiveConfig;
  private static ArchivingServer server;
  private static ResultStream results;
  private static CommandPublisher publisher;

  /** Rows of {@code kept} committed before the moment, and as many after it. */
  private static final int BEFORE_T = 50;

  private static final List<List<String>> toStop = new ArrayList<>();
  private static Moment moment;

  /** Where the worker recovers servers; deleted after they stop. */
  @TempDir static Path restoreRoot;

  @BeforeAll
  static void start() throws Exception {
    Files.setPosixFilePermissions(restoreRoot, PosixFilePermissions.fromString("rwxr-xr-x"));
    server =
        ArchivingServer.start(
            stack,
            BUCKET,
            TARGET,
            restoreRoot,
            ArchivingServer.Archiving.WAL_AGENT,
            (p, pg) -> p.withStream(new WalStreamSettings(true, null, PARTIAL_INTERVAL)));
    pg = server.pg();
    archiveConfig = server.archiveConfig();
    results = server.results();
    publisher = server.publisher();
  }

  @AfterAll
  static void stop() throws Exception {
    for (List<String> command : toStop) {
      new ProcessBuilder(pg.serverUserCommand(command)).inheritIO().start().waitFor();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void a_restore_to_time_t_has_the_rows_before_t_and_the_dropped_table_and_not_the_rows_after()
      throws Exception {
    Moment m = moment();
    assertThat(m.baseBackup().code()).as(m.baseBackup().out() + m.baseBackup().err()).isZero();
    assertThat(m.baseBackup().out())
        .containsPattern("\\(0/[0-9A-F]+ \\.\\. 0/[0-9A-F]+, timeline 1, ");

    int restorePort = freePort();
    CliRun restore =
        pgfleet(
            "submit",
            "restore-pitr",
            "-t",
            TARGET,
            "--id",
            "pitr-restore-1",
            "--target-time",
            m.t().toString(),
            "--directory",
            "before-t",
            "--port",
            String.valueOf(restorePort),
            "-w",
            "--timeout",
            "5m");
    ResultEvent restored = results.awaitTerminal("pitr-restore-1");
    stopLater(restoreRoot.resolve("before-t"));
    assertThat(restore.code()).as(restore.out() + restore.err()).isZero();
    assertThat(restore.out()).contains("listening on port " + restorePort);

    assertThat(restored.outcome()).as(restored.toString()).isEqualTo(Outcome.SUCCEEDED);
    Map<String, Object> stats = restored.data().statistics();
    assertThat(stats).containsEntry("started", true).containsKey("reachedLsn");
    assertThat(Instant.parse((String) stats.get("reachedTime"))).isBefore(m.t());
    int port = ((Number) stats.get("port")).intValue();
    try (Connection c = connect(port)) {
      assertThat(count(c, "SELECT count(*) FROM kept")).isEqualTo(BEFORE_T);
      assertThat(count(c, "SELECT count(*) FROM doomed")).isEqualTo(1);
    }
    try (Connection original = pg.connect(TARGET)) {
      assertThat(count(original, "SELECT count(*) FROM kept")).isEqualTo(2 * BEFORE_T);
    }

    CliRun whole = walCheck();
    assertThat(whole.code()).as(whole.out() + whole.err()).isEqualTo(0);
    assertThat(whole.out())
        .contains(TARGET + " recoverable window: ")
        .contains("start of the oldest base backup")
        .doesNotContain("ends before missing");
  }

  @Test
  void a_segment_lost_from_the_archive_is_named_by_wal_check_and_recovery_refuses_to_cross_it()
      throws Exception {
    Moment m = moment();
    String lost = m.segmentBeforeT();
    try (ArtifactStore store = ArtifactStore.connect(WorkerConfigFile.storage(archiveConfig))) {
      String key = "backups/" + TARGET + "/wal/" + lost.substring(0, 8) + "/" + lost;
      ObjectContent archived = store.readWithMetadata(key).orElseThrow();
      store.delete(key);
      try {
        CliRun check = walCheck();
        assertThat(check.code()).as(check.out() + check.err()).isEqualTo(1);
        assertThat(check.out()).contains("missing " + lost).contains("ends before missing " + lost);

        ResultEvent broken = run(Operation.RESTORE_PITR, pitr(m.t(), "across-gap"));
        assertThat(broken.outcome()).as(broken.toString()).isEqualTo(Outcome.FAILED);
        assertThat(broken.data().error().code()).isEqualTo("RECOVERY_FAILED");
        assertThat(broken.data().error().message())
            .contains("recovery ended before configured recovery target was reached")
            .contains("missing segment " + lost);
      } finally {
        // the other tests recover through this segment: the archive is whole again for them
        store.putWithMetadata(key, archived.bytes(), "application/zstd", archived.metadata());
      }
    }
  }

  @Test
  void restore_command_asks_the_worker_for_history_files_and_gets_what_the_archive_holds_then()
      throws Exception {
    Instant t = moment().t();
    // timeline 2 leaves timeline 1 past everything archived: recovery to t follows timeline 2's
    // history, and promotes to timeline 3 only if the worker answered 00000002.history with the
    // file and 00000003.history with "not archived"
    WalFileName history = new WalFileName("00000002.history");
    byte[] content =
        "1\t0/FF000000\tno recovery target specified\n".getBytes(StandardCharsets.US_ASCII);
    try (ArtifactStore store = ArtifactStore.connect(WorkerConfigFile.storage(archiveConfig))) {
      WalArchive archive = new WalArchive(store, TARGET);
      archive.push(history, content);
      try {
        ResultEvent restored = run(Operation.RESTORE_PITR, pitr(t, "timeline-three"));
        stopLater(restoreRoot.resolve("timeline-three"));

        assertThat(restored.outcome()).as(restored.toString()).isEqualTo(Outcome.SUCCEEDED);
        Map<String, Object> stats = restored.data().statistics();
        assertThat(((Number) stats.get("walAnswered")).intValue())
            .as("requests answered by the worker instead of a wal-fetch JVM")
            .isGreaterThanOrEqualTo(2);
        try (Connection c = connect(((Number) stats.get("port")).intValue())) {
          assertThat(text(c, "SELECT pg_walfile_name(pg_current_wal_lsn())"))
              .startsWith("00000003");
          assertThat(count(c, "SELECT count(*) FROM kept")).isEqualTo(BEFORE_T);
        }
      } finally {
        // the other tests recover along timeline 1 alone
        store.delete(archive.key(history));
      }
    }
  }

  @Test
  void the_physical_drill_recovers_a_commit_only_the_streamed_partial_holds_and_marks_it_verified()
      throws Exception {
    moment(); // the base backup the drill takes as the latest
    String commitLsn;
    try (Connection c = pg.connect(TARGET);
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE streamed (id int)");
      st.execute("INSERT INTO streamed VALUES (42)");
      try (ResultSet rs = st.executeQuery("SELECT pg_current_wal_insert_lsn()::text")) {
        rs.next();
        commitLsn = rs.getString(1);
      }
    }
    Instant committed = Instant.now();
    String segment = currentSegment();

    // archive_command only ever sees complete segments: this commit reaches the archive only in
    // the .partial the worker's streamer stores every PARTIAL_INTERVAL
    try (ArtifactStore store = ArtifactStore.connect(WorkerConfigFile.storage(archiveConfig))) {
      WalArchive archive = new WalArchive(store, TARGET);
      await("the commit's segment stored as .partial")
          // Seconds on a quiet machine; the bound leaves room for a loaded CI machine (RPO is
          // measured by bench, not asserted here).
          .atMost(PARTIAL_INTERVAL.plusSeconds(60))
          .until(
              () ->
                  archive.files().stream()
                      .anyMatch(
                          f ->
                              f.name().value().equals(segment + ".partial")
                                  && f.archivedAt().getEpochSecond() > committed.getEpochSecond()));
    }
    ResultEvent drill = run(Operation.VERIFY_BASE_BACKUP, VerifyBaseBackupParams.latest());

    assertThat(drill.outcome()).as(drill.toString()).isEqualTo(Outcome.SUCCEEDED);
    Map<String, Object> stats = drill.data().statistics();
    assertThat(stats)
        .containsEntry("pgVerifybackup", "passed")
        .containsEntry("pgAmcheck", "passed")
        .containsKey("rtoMs");
    assertThat(lsn((String) stats.get("reachedLsn")))
        .as("recovered to the streamed commit at " + commitLsn)
        .isGreaterThanOrEqualTo(lsn(commitLsn));
    try (Stream<Path> left = Files.list(restoreRoot)) {
      assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("drill-"));
    }
    try (Connection ledger = stack.postgres().connect("cli_pitr_ledger");
        Statement st = ledger.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT verified_by FROM pgfleet.artifacts WHERE uri = '"
                    + stats.get("artifact")
                    + "'")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo(drill.data().commandId());
    }
  }

  @Test
  void target_action_pause_leaves_the_server_read_only_and_paused_at_the_target_until_resumed()
      throws Exception {
    Instant t = moment().t();
    int port = freePort();
    CliRun restore =
        pgfleet(
            "submit",
            "restore-pitr",
            "-t",
            TARGET,
            "--id",
            "pitr-pause-1",
            "--target-time",
            t.toString(),
            "--target-action",
            "pause",
            "--directory",
            "paused-at-t",
            "--port",
            String.valueOf(port),
            "-w",
            "--timeout",
            "5m");
    ResultEvent paused = results.awaitTerminal("pitr-pause-1");
    stopLater(restoreRoot.resolve("paused-at-t"));

    assertThat(restore.code()).as(restore.out() + restore.err()).isZero();
    assertThat(restore.out()).contains("paused at ").contains("SELECT pg_wal_replay_resume()");
    assertThat(paused.outcome()).as(paused.toString()).isEqualTo(Outcome.SUCCEEDED);
    Map<String, Object> stats = paused.data().statistics();
    assertThat(stats)
        .containsEntry("targetAction", "pause")
        .containsEntry("serverState", "paused")
        .containsEntry("running", true)
        .containsEntry("resumeSql", "SELECT pg_wal_replay_resume()");
    assertThat(Instant.parse((String) stats.get("reachedTime"))).isBefore(t);
    assertThat((String) stats.get("recoveryStop")).startsWith("recovery stopping before commit");
    try (Connection c = connect(port)) {
      assertThat(text(c, "SELECT pg_is_in_recovery()::text")).isEqualTo("true");
      assertThat(text(c, "SELECT pg_get_wal_replay_pause_state()")).isEqualTo("paused");
      assertThat(count(c, "SELECT count(*) FROM kept")).isEqualTo(BEFORE_T);
      SQLException write =
          catchThrowableOfType(SQLException.class, () -> execute(c, "INSERT INTO kept VALUES (0)"));
      assertThat((Throwable) write).as("a write on the paused server").isNotNull();
      assertThat(write.getSQLState()).as(write.getMessage()).isEqualTo("25006");
      execute(c, "SELECT pg_wal_replay_resume()");
    }
    assertPromotedAtTheMoment(
        port, "promoted after pg_wal_replay_resume()", Duration.ofSeconds(60));
  }

  @Test
  void
      target_action_shutdown_stops_the_server_at_the_target_and_it_opens_there_once_told_to_promote()
          throws Exception {
    Instant t = moment().t();
    int port = freePort();
    Path dir = restoreRoot.resolve("stopped-at-t");

    ResultEvent stopped =
        run(
            Operation.RESTORE_PITR,
            new RestorePitrParams(
                null, t, null, null, null, "stopped-at-t", port, RecoveryTargetAction.SHUTDOWN));

    assertThat(stopped.outcome()).as(stopped.toString()).isEqualTo(Outcome.SUCCEEDED);
    Map<String, Object> stats = stopped.data().statistics();
    assertThat(stats)
        .containsEntry("targetAction", "shutdown")
        .containsEntry("serverState", "stopped")
        .containsEntry("running", false);
    assertThat((String) stats.get("recoveryStop")).startsWith("recovery stopping before commit");
    assertThat((String) stats.get("nextSteps"))
        .contains("recovery_target_action = 'promote'")
        .contains((String) stats.get("startCommand"));
    assertThat(dir.resolve("postmaster.pid")).doesNotExist();
    assertThat(dir.resolve("recovery.signal")).exists();
    assertThat(pgCtl(dir, "status")).as("pg_ctl status: no server running").isEqualTo(3);

    // what nextSteps says: the same target again, then promote
    Files.writeString(
        dir.resolve("postgresql.auto.conf"),
        "recovery_target_action = 'promote'\n",
        StandardOpenOption.APPEND);
    stopLater(dir);
    assertThat(pgCtl(dir, "-l", dir.resolve("pgfleet-recovery.log").toString(), "start")).isZero();
    assertPromotedAtTheMoment(port, "promoted at the target", Duration.ofMinutes(2));
  }

  @Test
  void target_action_shutdown_fails_the_run_when_the_server_stops_before_its_target()
      throws Exception {
    moment();
    Instant future = Instant.now().plus(Duration.ofHours(1));

    ResultEvent failed =
        run(
            Operation.RESTORE_PITR,
            new RestorePitrParams(
                null,
                future,
                null,
                null,
                null,
                "stopped-never",
                freePort(),
                RecoveryTargetAction.SHUTDOWN));

    assertThat(failed.outcome()).as(failed.toString()).isEqualTo(Outcome.FAILED);
    assertThat(failed.data().error().code()).isEqualTo("RECOVERY_FAILED");
    assertThat(failed.data().error().message())
        .contains("stopped before its recovery target (cluster state in archive recovery)")
        .contains("recovery ended before configured recovery target was reached");
  }

  /**
   * What the tests share, made once per class by whichever runs first: a base backup submitted
   * through the CLI, then {@link #BEFORE_T} rows of {@code kept} and a table {@code doomed}, the
   * moment t, then as many rows again and {@code doomed} dropped; all of it archived.
   *
   * @param baseBackup the CLI run that took the base backup
   * @param segmentBeforeT a segment between the base backup and t (recovery to t needs it)
   */
  record Moment(CliRun baseBackup, String segmentBeforeT, Instant t) {}

  private static synchronized Moment moment() throws Exception {
    if (moment == null) {
      sql("CREATE TABLE kept (id int PRIMARY KEY)", "CREATE TABLE doomed (id int)");
      sql("INSERT INTO doomed VALUES (1)");
      CliRun backup = pgfleet("submit", "base-backup", "-t", TARGET, "--id", "pitr-base-1", "-w");
      ResultEvent ended = results.awaitTerminal("pitr-base-1");
      assertThat(ended.outcome()).as(ended.toString()).isEqualTo(Outcome.SUCCEEDED);
      sql("INSERT INTO kept SELECT generate_series(1, " + BEFORE_T + ")");
      String beforeT = switchAndAwaitArchived();
      // Those rows committed before their segment was archived, the next commit comes after t:
      // the server and this JVM read the same clock, to the microsecond.
      Instant t = Instant.now();
      sql(
          "INSERT INTO kept SELECT generate_series(" + (BEFORE_T + 1) + ", " + 2 * BEFORE_T + ")",
          "DROP TABLE doomed");
      switchAndAwaitArchived();
      moment = new Moment(backup, beforeT, t);
    }
    return moment;
  }

  /**
   * The recovered server at {@code port} leaves recovery within {@code bound}, holding the rows
   * committed before the moment and taking writes.
   */
  private static void assertPromotedAtTheMoment(int port, String alias, Duration bound)
      throws Exception {
    await(alias).atMost(bound).until(() -> inRecovery(port).equals("false"));
    try (Connection c = connect(port)) {
      assertThat(count(c, "SELECT count(*) FROM kept")).isEqualTo(BEFORE_T);
      execute(c, "INSERT INTO kept VALUES (0)");
    }
  }

  private static CliRun walCheck() {
    return CliRun.capture(Main::run, "wal-check", "-c", archiveConfig.toString(), "-t", TARGET);
  }

  private static void stopLater(Path dataDirectory) {
    toStop.add(
        List.of(
            pg.binDir().resolve("pg_ctl").toString(),
            "-D",
            dataDirectory.toString(),
            "-m",
            "fast",
            "stop"));
  }

  private static int pgCtl(Path dataDirectory, String... args) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(pg.binDir().resolve("pg_ctl").toString(), "-D", dataDirectory.toString()));
    command.addAll(List.of(args));
    return new ProcessBuilder(pg.serverUserCommand(command))
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start()
        .waitFor();
  }

  private static String inRecovery(int port) {
    try (Connection c = connect(port)) {
      return text(c, "SELECT pg_is_in_recovery()::text");
    } catch (Exception e) {
      return "unreachable: " + e.getMessage();
    }
  }

  private static String text(Connection c, String sql) throws Exception {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static void execute(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  private static long lsn(String text) {
    String[] parts = text.split("/");
    return (Long.parseLong(parts[0], 16) << 32) | Long.parseLong(parts[1], 16);
  }

  private static String currentSegment() throws Exception {
    try (Connection c = pg.connect("postgres");
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT pg_walfile_name(pg_current_wal_lsn())")) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static CliRun pgfleet(String... args) {
    return CliRun.withKafka(stack.kafka().bootstrapServers(), "cli-pitr", args);
  }

  private static RestorePitrParams pitr(Instant t, String directory) throws Exception {
    return new RestorePitrParams(null, t, null, null, null, directory, freePort());
  }

  private static ResultEvent run(Operation operation, OperationParams params) {
    Command command = Commands.of(operation, TARGET, params).source("urn:test:pitr").build();
    publisher.publish(command).join();
    // every restore_command starts a JVM: recovery takes a while on a loaded machine
    return results
        .awaitCount(
            e -> command.id().equals(e.data().commandId()) && e.outcome().isTerminal(),
            1,
            Duration.ofMinutes(5))
        .get(0);
  }

  private static String switchAndAwaitArchived() throws Exception {
    return server.switchAndAwaitArchived();
  }

  private static void sql(String... statements) throws Exception {
    server.sql(statements);
  }

  private static Connection connect(int port) throws Exception {
    Properties p = new Properties();
    // the recovered cluster has the original's roles: the superuser created the test tables
    p.setProperty("user", pg.superuser());
    p.setProperty("password", pg.superuserPassword());
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + TARGET, p);
  }

  private static long count(Connection c, String sql) throws Exception {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
