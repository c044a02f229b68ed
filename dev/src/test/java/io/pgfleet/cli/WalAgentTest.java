package io.pgfleet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgfleet.local.LocalPostgres;
import io.pgfleet.local.LocalStack;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * archive_command without a JVM: a real server whose archive_command is the shipped {@code
 * pgfleet-wal-push}, fed by {@code pgfleet wal-agent} running in its own JVM.
 */
class WalAgentTest {
  private static final LocalStack stack = LocalStack.shared();
  private static final String TARGET = "agent_db";
  private static Path config;
  private static Path client;
  private static Path spool;
  private static Path agentLog;
  private static LocalPostgres pg;
  private static WalAgentProcess agent;

  @BeforeAll
  static void start() throws Exception {
    config = ArchiveConfig.write(stack, "cli-wal-agent");
    Path shared = TempDirs.create("pgfleet-wal-agent");
    Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-xr-x"));
    client = WalAgentProcess.client(Files.createDirectories(shared.resolve("bin")));
    spool = Files.createDirectories(shared.resolve("spool"));
    agentLog = shared.resolve("agent.log");
    pg =
        LocalPostgres.builder()
            .setting("archive_mode", "on")
            .setting("wal_keep_size", "1GB")
            .setting("archive_command", client + " -t 20 " + spool + " %p")
            .start(Files.createTempDirectory("pgfleet-wal-agent-pg"));
    Files.setOwner(spool, Files.getOwner(pgWal()));
    Files.setPosixFilePermissions(spool, PosixFilePermissions.fromString("rwx------"));
    agent = WalAgentProcess.start(config, TARGET, pgWal(), spool, agentLog);
  }

  @AfterAll
  static void stop() throws Exception {
    if (agent != null) {
      agent.close();
    }
    if (pg != null) {
      pg.close();
    }
  }

  @Test
  void
      every_segment_the_server_writes_is_archived_through_the_agent_and_fetched_back_byte_for_byte()
          throws Exception {
    List<String> segments = write(6);

    awaitArchived(segments.get(segments.size() - 1));

    assertFetchedByteForByte(segments);
    assertThat(Main.run("wal-check", "-c", config.toString(), "-t", TARGET))
        .as("wal-check: the archive is continuous")
        .isZero();
  }

  @Test
  void with_the_agent_down_archive_command_fails_and_the_server_retries_until_it_is_back()
      throws Exception {
    write(1);
    awaitArchived(query("SELECT pg_walfile_name(pg_current_wal_lsn() - 1)"));
    agent.close();
    long failedBefore = Long.parseLong(query("SELECT failed_count FROM pg_stat_archiver"));

    List<String> segments = write(3);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> segments.get(0).equals(query("SELECT last_failed_wal FROM pg_stat_archiver")));
    assertThat(Long.parseLong(query("SELECT failed_count FROM pg_stat_archiver")))
        .as("archive_command failed while no agent ran")
        .isGreaterThan(failedBefore);
    assertThat(query("SELECT coalesce(last_archived_wal, '') FROM pg_stat_archiver"))
        .isLessThan(segments.get(0));

    agent = WalAgentProcess.start(config, TARGET, pgWal(), spool, agentLog);
    segments.addAll(write(1)); // the writer goes on; its next segment wakes the archiver
    awaitArchived(segments.get(segments.size() - 1));

    assertFetchedByteForByte(segments);
    assertThat(Main.run("wal-check", "-c", config.toString(), "-t", TARGET))
        .as("wal-check: nothing lost while the agent was down")
        .isZero();
  }

  @Test
  void a_second_cluster_given_the_same_spool_is_refused_by_its_agent_and_by_its_archive_command(
      @TempDir Path dir) throws Exception {
    try (LocalPostgres other =
        LocalPostgres.builder()
            .setting("archive_mode", "on")
            .setting("archive_command", client + " -t 20 " + spool + " %p")
            .start(dir.resolve("other"))) {
      String ours = systemIdentifier(pg);
      String theirs = systemIdentifier(other);
      assertThat(theirs).isNotEqualTo(ours);

      CliRun agentOfOther =
          CliRun.capture(
              Main::run,
              "wal-agent",
              "--config",
              config.toString(),
              "--target",
              "other_db",
              "--pg-wal",
              other.dataDir().resolve("pg_wal").toString(),
              "--spool",
              spool.toString());
      assertThat(agentOfOther.code()).as(agentOfOther.err()).isEqualTo(2);
      assertThat(agentOfOther.err())
          .contains(
              "belongs to the PostgreSQL cluster with system identifier "
                  + ours
                  + ", not to "
                  + theirs);

      // its segments have the names this cluster's agent marks in the spool: none is taken
      String first = ArchivedSegments.write(other, 1).get(0);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  first.equals(
                      ArchivedSegments.query(
                          other, "SELECT last_failed_wal FROM pg_stat_archiver")));
      assertThat(
              ArchivedSegments.query(
                  other, "SELECT coalesce(last_archived_wal, '') FROM pg_stat_archiver"))
          .isEmpty();
      assertThat(Files.readString(other.logFile()))
          .contains(
              spool
                  + " belongs to the cluster with system identifier "
                  + ours
                  + ", not to this one ("
                  + theirs
                  + ")");
    }
    assertThat(Files.readString(spool.resolve("cluster")).strip()).isEqualTo(systemIdentifier(pg));
  }

  @Test
  void a_second_agent_of_the_same_cluster_on_the_same_spool_is_refused_and_the_first_serves_on()
      throws Exception {
    write(1);
    awaitArchived(query("SELECT pg_walfile_name(pg_current_wal_lsn() - 1)"));

    CliRun second =
        CliRun.capture(
            Main::run,
            "wal-agent",
            "--config",
            config.toString(),
            "--target",
            TARGET,
            "--pg-wal",
            pgWal().toString(),
            "--spool",
            spool.toString());

    assertThat(second.code()).as(second.err()).isEqualTo(2);
    assertThat(second.err())
        .contains("--spool " + spool + " is already served by another wal-agent");
    assertThat(spool.resolve("agent.alive")).as("the first agent's heartbeat").exists();
    List<String> segments = write(2);
    awaitArchived(segments.get(segments.size() - 1));
    assertFetchedByteForByte(segments);
  }

  /** The first field of global/pg_control, as pg_controldata prints it. */
  private static String systemIdentifier(LocalPostgres server) throws Exception {
    byte[] head = Files.readAllBytes(server.dataDir().resolve("global/pg_control"));
    return Long.toUnsignedString(ByteBuffer.wrap(head).order(ByteOrder.nativeOrder()).getLong());
  }

  private static List<String> write(int count) throws Exception {
    return ArchivedSegments.write(pg, count);
  }

  private static void awaitArchived(String last) {
    ArchivedSegments.awaitArchived(pg, last, Duration.ofMinutes(2));
  }

  private static void assertFetchedByteForByte(List<String> segments) throws Exception {
    ArchivedSegments.assertFetchedByteForByte(pg, config, TARGET, segments);
  }

  private static Path pgWal() {
    return pg.dataDir().resolve("pg_wal");
  }

  private static String query(String sql) throws Exception {
    return ArchivedSegments.query(pg, sql);
  }
}
