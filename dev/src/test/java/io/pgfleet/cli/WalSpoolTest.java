package io.pgfleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgfleet.local.LocalPostgres;
import io.pgfleet.local.LocalStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code wal-push --spool} on a real server archiving through the repository's {@code pgfleet}
 * launcher: segments pushed ahead are answered from their marker without a JVM, and every segment
 * still lands in the archive byte for byte.
 */
class WalSpoolTest {
  private static final LocalStack stack = LocalStack.shared();
  private static final String TARGET = "spool_db";
  private static final int SEGMENTS = 12;
  private static Path config;
  private static Path launcher;
  private static Path spool;
  private static Path jvms;
  private static LocalPostgres pg;

  @BeforeAll
  static void start() throws Exception {
    config = ArchiveConfig.write(stack, "cli-wal-spool");
    Path shared = TempDirs.create("pgfleet-wal-spool");
    launcher = PgfleetScript.launcher(shared.resolve("bin"));
    spool = open(Files.createDirectories(shared.resolve("spool")));
    // every JVM the launcher starts writes its own GC log here: counting files counts JVMs
    jvms = open(Files.createDirectories(shared.resolve("jvms")));
    Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-xr-x"));
    pg =
        LocalPostgres.builder()
            .setting("archive_mode", "on")
            .setting("wal_keep_size", "1GB")
            .setting(
                "archive_command",
                "PATH="
                    + Path.of(System.getProperty("java.home"), "bin")
                    + ":$PATH PGFLEET_JAVA_OPTS=-Xlog:gc:file="
                    + jvms
                    + "/jvm-%%p-%%t.log "
                    + launcher
                    + " wal-push --config "
                    + config
                    + " --target "
                    + TARGET
                    + " --spool "
                    + spool
                    + " %p")
            .start(Files.createTempDirectory("pgfleet-wal-spool-pg"));
  }

  @AfterAll
  static void stop() {
    if (pg != null) {
      pg.close();
    }
  }

  @Test
  void segments_pushed_ahead_are_archived_byte_for_byte_with_fewer_jvms_than_segments()
      throws Exception {
    List<String> segments = ArchivedSegments.write(pg, SEGMENTS);
    ArchivedSegments.awaitArchived(pg, segments.get(SEGMENTS - 1), Duration.ofMinutes(5));
    ArchivedSegments.assertFetchedByteForByte(pg, config, TARGET, segments);
    assertThat(query("SELECT failed_count FROM pg_stat_archiver")).isEqualTo("0");
    assertThat(files(spool))
        .as("every marker consumed")
        .extracting(p -> p.getFileName().toString())
        .containsExactly("cluster");
    long started = files(jvms).size();
    assertThat(started)
        .as("JVMs started for " + SEGMENTS + " segments")
        .isBetween(1L, SEGMENTS - 1L);
  }

  @Test
  void a_marker_answers_wal_push_in_the_launcher_without_a_jvm_and_is_consumed() throws Exception {
    Path ownSpool = TempDirs.create("pgfleet-wal-spool-own");
    Path ownJvms = TempDirs.create("pgfleet-wal-spool-own-jvms");
    String name = "0000000A0000000000000001";
    Files.createFile(ownSpool.resolve(name + ".ok"));
    Files.writeString(ownSpool.resolve("cluster"), "7000000000000000001\n");
    Path absent =
        WalAgentClientTest.dataDirectory(ownSpool, 7_000_000_000_000_000_001L)
            .resolve("pg_wal")
            .resolve(name);

    assertThat(launch(ownSpool, ownJvms, absent)).isZero();
    assertThat(ownSpool.resolve(name + ".ok")).doesNotExist();
    assertThat(files(ownJvms)).as("JVMs started").isEmpty();

    assertThat(launch(ownSpool, ownJvms, absent))
        .as("no marker: the JVM pushes, and fails")
        .isNotZero();
    assertThat(files(ownJvms)).as("JVMs started").hasSize(1);
  }

  @Test
  void a_spool_of_another_cluster_is_refused_by_wal_push_and_its_markers_never_answer()
      throws Exception {
    Path ownSpool = TempDirs.create("pgfleet-wal-spool-theirs");
    Path ownJvms = TempDirs.create("pgfleet-wal-spool-theirs-jvms");
    List<String> segments = ArchivedSegments.write(pg, 1);
    Path ours = pg.dataDir().resolve("pg_wal").resolve(segments.get(0));
    CliRun bound = push(ownSpool, ours);
    assertThat(bound.code()).as(bound.err()).isZero();
    String cluster = Files.readString(ownSpool.resolve("cluster")).strip();

    String name = "0000000A0000000000000001";
    Files.createFile(ownSpool.resolve(name + ".ok"));
    Path theirs =
        WalAgentClientTest.dataDirectory(ownSpool, 7_000_000_000_000_000_002L)
            .resolve("pg_wal")
            .resolve(name);
    CliRun refused = push(ownSpool, theirs);

    assertThat(refused.code()).isEqualTo(2);
    assertThat(refused.err())
        .contains(
            "belongs to the PostgreSQL cluster with system identifier "
                + cluster
                + ", not to 7000000000000000002");
    assertThat(launch(ownSpool, ownJvms, theirs))
        .as("the launcher leaves it to the JVM")
        .isEqualTo(2);
    assertThat(files(ownJvms)).as("JVMs started").hasSize(1);
    assertThat(ownSpool.resolve(name + ".ok")).as("the other cluster's marker is kept").exists();
  }

  @Test
  void a_marker_in_a_spool_that_records_no_cluster_goes_to_a_jvm_which_removes_it()
      throws Exception {
    Path ownSpool = TempDirs.create("pgfleet-wal-spool-unbound");
    Path ownJvms = TempDirs.create("pgfleet-wal-spool-unbound-jvms");
    String name = "0000000A0000000000000001";
    Files.createFile(ownSpool.resolve(name + ".ok")); // from before spools recorded a cluster
    Path absent =
        WalAgentClientTest.dataDirectory(ownSpool, 7_000_000_000_000_000_001L)
            .resolve("pg_wal")
            .resolve(name);

    assertThat(launch(ownSpool, ownJvms, absent)).as("the JVM pushes, and fails").isNotZero();
    assertThat(files(ownJvms)).as("JVMs started").hasSize(1);
    assertThat(ownSpool.resolve(name + ".ok"))
        .as("an unbound marker is never adopted")
        .doesNotExist();
    assertThat(ownSpool.resolve("cluster")).hasContent("7000000000000000001");
  }

  @Test
  @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void a_cluster_file_that_is_no_plain_line_of_digits_goes_to_the_jvm_which_refuses_the_spool()
      throws Exception {
    Path ownSpool = TempDirs.create("pgfleet-wal-spool-odd");
    Path ownJvms = TempDirs.create("pgfleet-wal-spool-odd-jvms");
    String name = "0000000A0000000000000001";
    Path absent =
        WalAgentClientTest.dataDirectory(ownSpool, 7_000_000_000_000_000_001L)
            .resolve("pg_wal")
            .resolve(name);
    Path cluster = ownSpool.resolve("cluster");
    Path elsewhere = Files.writeString(ownSpool.resolve("elsewhere"), "7000000000000000001\n");
    List<Runnable> odd =
        List.of(
            () -> link(cluster, elsewhere),
            () -> mkfifo(cluster),
            () -> write(cluster, "7000000000000000001\ngarbage"));
    for (int i = 0; i < odd.size(); i++) {
      Files.deleteIfExists(cluster);
      odd.get(i).run();
      Files.deleteIfExists(ownSpool.resolve(name + ".ok"));
      Files.createFile(ownSpool.resolve(name + ".ok"));

      assertThat(launch(ownSpool, ownJvms, absent)).as("refused by the JVM").isEqualTo(2);
      assertThat(files(ownJvms)).as("JVMs started").hasSize(i + 1);
      assertThat(ownSpool.resolve(name + ".ok")).as("the marker is not taken").exists();
    }
  }

  private static void link(Path link, Path target) {
    try {
      Files.createSymbolicLink(link, target);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void mkfifo(Path fifo) {
    try {
      assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void write(Path file, String content) {
    try {
      Files.writeString(file, content);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static CliRun push(Path ownSpool, Path file) {
    return CliRun.capture(
        Main::run,
        "wal-push",
        "-c",
        config.toString(),
        "-t",
        TARGET,
        "--spool",
        ownSpool.toString(),
        "--ahead",
        "0",
        file.toString());
  }

  private static int launch(Path ownSpool, Path ownJvms, Path file) throws Exception {
    ProcessBuilder run =
        new ProcessBuilder(
            launcher.toString(),
            "wal-push",
            "-c",
            config.toString(),
            "-t",
            TARGET,
            "--spool",
            ownSpool.toString(),
            file.toString());
    run.environment()
        .put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":" + System.getenv("PATH"));
    run.environment().put("PGFLEET_JAVA_OPTS", "-Xlog:gc:file=" + ownJvms + "/jvm-%p-%t.log");
    return run.inheritIO().start().waitFor();
  }

  private static String query(String sql) throws Exception {
    return ArchivedSegments.query(pg, sql);
  }

  private static List<Path> files(Path dir) throws Exception {
    try (Stream<Path> list = Files.list(dir)) {
      return list.toList();
    }
  }

  private static Path open(Path dir) throws Exception {
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
    return dir;
  }
}
