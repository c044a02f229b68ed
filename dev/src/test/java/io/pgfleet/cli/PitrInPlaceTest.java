package io.pgfleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgfleet.commands.Command;
import io.pgfleet.commands.Commands;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.RestorePitrParams;
import io.pgfleet.commands.result.Outcome;
import io.pgfleet.commands.result.ResultEvent;
import io.pgfleet.local.LocalPostgres;
import io.pgfleet.local.LocalStack;
import io.pgfleet.worker.config.WorkerConfigFile;
import io.pgfleet.worker.storage.ArtifactStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runbooks' own point-in-time recovery (stop the server, replace its data directory, recover,
 * promote) as {@code restore-pitr --in-place}: refused while the server runs and without confirm,
 * with nothing changed; a recovery that fails before the server starts (a corrupt base backup) puts
 * the old directory back; once stopped, its data directory holds the recovered server on its own
 * port and the old one is kept beside it. The later tests stop the server: the order is fixed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PitrInPlaceTest {
  private static final LocalStack stack = LocalStack.shared();
  private static final String NAME = "cli-pitr-in-place";
  private static final String TARGET = "inplace_order_db";
  private static final int BEFORE_T = 40;
  private static ArchivingServer server;
  private static LocalPostgres pg;
  private static Instant moment;

  @TempDir static Path restoreRoot;

  @BeforeAll
  static void start() throws Exception {
    Files.setPosixFilePermissions(restoreRoot, PosixFilePermissions.fromString("rwxr-xr-x"));
    server =
        ArchivingServer.start(
            stack,
            NAME,
            TARGET,
            restoreRoot,
            // recovered in place, the server archives its new timeline with the same command: one
            // that needs no agent watching a data directory the recovery replaces
            ArchivingServer.Archiving.WAL_PUSH,
            (p, pg) -> p.withDataDirectory(pg.dataDir()));
    pg = server.pg();
    server.sql("CREATE TABLE kept (id int PRIMARY KEY)", "CREATE TABLE doomed (id int)");
    CliRun backup = pgfleet("submit", "base-backup", "-t", TARGET, "--id", "in-place-base", "-w");
    assertThat(backup.code()).as(backup.out() + backup.err()).isZero();
  }

  @AfterAll
  static void stop() throws Exception {
    if (pg != null) {
      // the server the worker started on the data directory is not the one LocalPostgres started
      new ProcessBuilder(
              pg.serverUserCommand(
                  List.of(
                      pg.binDir().resolve("pg_ctl").toString(),
                      "-D",
                      pg.dataDir().toString(),
                      "-m",
                      "fast",
                      "stop")))
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start()
          .waitFor();
    }
    List<Path> asides = pg == null ? List.of() : asides();
    if (server != null) {
      server.close();
    }
    for (Path aside : asides) {
      if (!Files.exists(aside)) {
        continue; // it was below the directory LocalPostgres deleted
      }
      try (Stream<Path> files = Files.walk(aside)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  @Test
  @Order(1)
  void an_in_place_recovery_while_the_server_runs_is_refused_and_changes_nothing()
      throws Exception {
    ResultEvent refused = run(inPlace(null, TARGET));

    assertThat(refused.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(refused.data().error().code()).isEqualTo("RESTORE_CONFLICT");
    assertThat(refused.data().error().message())
        .contains("postmaster.pid exists: stop the server of " + TARGET + " first")
        .contains("nothing was changed");
    assertThat(asides()).isEmpty();
    assertThat(count("SELECT count(*) FROM kept")).isZero();
  }

  @Test
  @Order(2)
  void an_in_place_recovery_without_the_targets_name_as_confirm_is_refused() throws Exception {
    ResultEvent refused = run(inPlace(null, "order_db"));

    assertThat(refused.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(refused.data().error().code()).isEqualTo("CONFIRMATION_REQUIRED");
    assertThat(refused.data().error().message()).contains("as confirm: \"" + TARGET + "\"");
    assertThat(asides()).isEmpty();
  }

  @Test
  @Order(3)
  void a_recovery_that_fails_before_the_server_starts_puts_the_old_directory_back()
      throws Exception {
    moment();
    pg.stop();
    Files.writeString(pg.dataDir().resolve("pgfleet-test-marker"), "the old directory");
    try (ArtifactStore store =
        ArtifactStore.connect(WorkerConfigFile.storage(server.archiveConfig()))) {
      String key =
          store.list("").stream()
              .filter(k -> k.contains(TARGET) && k.endsWith("base.tar.zst"))
              .findFirst()
              .orElseThrow();
      byte[] stored = store.read(key).readAllBytes();
      byte[] corrupt = stored.clone();
      for (int i = corrupt.length / 3; i < corrupt.length / 3 + 64; i++) {
        corrupt[i] ^= 0x5a;
      }
      store.put(key, corrupt, "application/zstd");
      try {
        ResultEvent failed = run(inPlace(moment(), TARGET));

        assertThat(failed.outcome()).as(failed.toString()).isEqualTo(Outcome.FAILED);
        assertThat(failed.data().error().code()).isEqualTo("RECOVERY_FAILED");
        // failed while unpacking, after the old directory had been moved aside
        assertThat(failed.data().error().message()).startsWith("cannot prepare " + pg.dataDir());
      } finally {
        store.put(key, stored, "application/zstd");
      }
    }
    assertThat(asides()).isEmpty();
    assertThat(pg.dataDir().resolve("pgfleet-test-marker")).hasContent("the old directory");
    assertThat(pg.dataDir().resolve("PG_VERSION")).isRegularFile();
    assertThat(pg.dataDir().resolve("recovery.signal")).doesNotExist();
  }

  @Test
  @Order(4)
  void
      a_stopped_server_recovered_in_place_has_the_rows_before_t_on_its_own_port_and_its_old_directory_beside_it()
          throws Exception {
    Instant t = moment();
    pg.stop(); // the runbook's step 1, the operator's

    CliRun restore =
        pgfleet(
            "submit",
            "restore-pitr",
            "-t",
            TARGET,
            "--id",
            "in-place-restore",
            "--in-place",
            "--confirm",
            TARGET,
            "--target-time",
            t.toString(),
            "-w",
            "--timeout",
            "5m");
    ResultEvent restored = server.results().awaitTerminal("in-place-restore");

    assertThat(restored.outcome()).as(restored.toString()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(restore.code()).as(restore.out() + restore.err()).isZero();
    Map<String, Object> stats = restored.data().statistics();
    assertThat(stats)
        .containsEntry("inPlace", true)
        .containsEntry("dataDirectory", pg.dataDir().toString())
        .containsEntry("port", pg.port())
        .containsEntry("serverState", "promoted");
    Path aside = Path.of((String) stats.get("previousDataDirectory"));
    assertThat(asides()).containsExactly(aside);
    assertThat(aside.resolve("PG_VERSION")).isRegularFile();
    assertThat(count("SELECT count(*) FROM kept")).isEqualTo(BEFORE_T);
    assertThat(count("SELECT count(*) FROM doomed")).isZero();
    try (Connection c = pg.connect(TARGET);
        Statement st = c.createStatement()) {
      st.execute("INSERT INTO kept VALUES (0)"); // promoted: it takes writes
      try (ResultSet rs =
          st.executeQuery("SELECT pg_is_in_recovery()::text, current_setting('archive_mode')")) {
        rs.next();
        assertThat(rs.getString(1)).isEqualTo("false");
        // in place it is the original: its new timeline goes on into the archive
        assertThat(rs.getString(2)).isEqualTo("on");
      }
    }
  }

  /** Rows of {@code kept} committed before the moment returned, as many after it. */
  private static synchronized Instant moment() throws Exception {
    if (moment == null) {
      server.sql("INSERT INTO kept SELECT generate_series(1, " + BEFORE_T + ")");
      server.switchAndAwaitArchived();
      Instant t = Instant.now();
      server.sql(
          "INSERT INTO kept SELECT generate_series(" + (BEFORE_T + 1) + ", " + 2 * BEFORE_T + ")",
          "DROP TABLE doomed");
      server.switchAndAwaitArchived();
      moment = t;
    }
    return moment;
  }

  private static RestorePitrParams inPlace(Instant t, String confirm) {
    return new RestorePitrParams(null, t, null, null, null, null, null, null, true, confirm);
  }

  private static List<Path> asides() throws Exception {
    Path dataDir = pg.dataDir();
    try (Stream<Path> siblings = Files.list(dataDir.getParent())) {
      return siblings
          .filter(p -> p.getFileName().toString().startsWith(dataDir.getFileName() + ".pgfleet-"))
          .toList();
    }
  }

  private static ResultEvent run(RestorePitrParams params) {
    Command command =
        Commands.of(Operation.RESTORE_PITR, TARGET, params).source("urn:test:pitr").build();
    server.publisher().publish(command).join();
    return server
        .results()
        .awaitCount(
            e -> command.id().equals(e.data().commandId()) && e.outcome().isTerminal(),
            1,
            Duration.ofMinutes(2))
        .get(0);
  }

  private static CliRun pgfleet(String... args) {
    return CliRun.withKafka(stack.kafka().bootstrapServers(), NAME, args);
  }

  /** On the target's own port, where the recovered server now listens. */
  private static long count(String query) throws Exception {
    try (Connection c = pg.connect(TARGET);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(query)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
