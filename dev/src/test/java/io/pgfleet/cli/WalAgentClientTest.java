package io.pgfleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped {@code pgfleet-wal-push} archive_command on its own: it exits 0 only on the agent's
 * {@code .ok} marker, and non-zero within a bounded time otherwise, so PostgreSQL keeps the file
 * and retries.
 */
class WalAgentClientTest {
  private static final String SEGMENT = "000000010000000000000007";

  /**
   * Well under the 60 s the client waits for the agent by default (and 10 s over the 1 s of the
   * timeout test): what "at once" means on a loaded 2-core machine, where a shell script can take
   * seconds to start.
   */
  private static final Duration AT_ONCE = Duration.ofSeconds(11);

  @TempDir Path dir;
  private Path client;
  private Path spool;

  @BeforeEach
  void setUp() throws Exception {
    client = WalAgentProcess.client(Files.createDirectories(dir.resolve("bin")));
    spool = Files.createDirectories(dir.resolve("spool"));
  }

  @Test
  void with_no_agent_running_it_fails_at_once_and_says_so() throws Exception {
    WalAgentProcess.Ran ran = WalAgentProcess.run(client, spool.toString(), "pg_wal/" + SEGMENT);

    assertThat(ran.code()).isEqualTo(1);
    assertThat(ran.output()).contains("wal-agent is not running");
    assertThat(ran.took()).isLessThan(AT_ONCE);
  }

  @Test
  void an_agent_that_stopped_beating_ten_seconds_ago_counts_as_down() throws Exception {
    Path alive = Files.createFile(spool.resolve("agent.alive"));
    Files.setLastModifiedTime(alive, FileTime.from(Instant.now().minusSeconds(30)));

    WalAgentProcess.Ran ran = WalAgentProcess.run(client, spool.toString(), "pg_wal/" + SEGMENT);

    assertThat(ran.code()).isEqualTo(1);
    assertThat(ran.output()).contains("wal-agent is not running").contains("s old");
    assertThat(ran.took()).isLessThan(AT_ONCE);
  }

  @Test
  void it_waits_for_the_agent_to_mark_the_segment_archived_and_then_exits_0() throws Exception {
    Files.createFile(spool.resolve("agent.alive"));
    Files.writeString(spool.resolve("cluster"), "7000000000000000001\n");
    Path segment =
        dataDirectory(dir, 7_000_000_000_000_000_001L).resolve("pg_wal").resolve(SEGMENT);
    Thread marker =
        new Thread(
            () -> {
              try {
                Thread.sleep(500);
                Files.createFile(spool.resolve(SEGMENT + ".ok"));
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    marker.start();

    WalAgentProcess.Ran ran = WalAgentProcess.run(client, spool.toString(), segment.toString());
    marker.join();

    assertThat(ran.code()).as(ran.output()).isZero();
    assertThat(ran.took()).isGreaterThanOrEqualTo(Duration.ofMillis(500));
  }

  @Test
  void a_marker_in_the_spool_of_another_cluster_is_not_taken_and_the_failure_names_both()
      throws Exception {
    Files.createFile(spool.resolve("agent.alive"));
    Files.writeString(spool.resolve("cluster"), "7000000000000000001\n");
    Files.createFile(spool.resolve(SEGMENT + ".ok"));
    Path segment =
        dataDirectory(dir, 7_000_000_000_000_000_002L).resolve("pg_wal").resolve(SEGMENT);

    WalAgentProcess.Ran ran = WalAgentProcess.run(client, spool.toString(), segment.toString());

    assertThat(ran.code()).isEqualTo(1);
    assertThat(ran.output())
        .contains(
            "belongs to the cluster with system identifier 7000000000000000001, not to this one"
                + " (7000000000000000002)");
    assertThat(ran.took()).isLessThan(AT_ONCE);
  }

  @Test
  void a_marker_in_a_spool_that_records_no_cluster_is_not_taken() throws Exception {
    Files.createFile(spool.resolve("agent.alive"));
    Files.createFile(spool.resolve(SEGMENT + ".ok"));
    Path segment =
        dataDirectory(dir, 7_000_000_000_000_000_001L).resolve("pg_wal").resolve(SEGMENT);

    WalAgentProcess.Ran ran = WalAgentProcess.run(client, spool.toString(), segment.toString());

    assertThat(ran.code()).isEqualTo(1);
    assertThat(ran.output()).contains("/cluster is missing");
  }

  @Test
  @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void a_cluster_file_that_is_a_fifo_or_a_symbolic_link_fails_at_once_instead_of_blocking()
      throws Exception {
    Files.createFile(spool.resolve("agent.alive"));
    Files.createFile(spool.resolve(SEGMENT + ".ok"));
    Path segment =
        dataDirectory(dir, 7_000_000_000_000_000_001L).resolve("pg_wal").resolve(SEGMENT);
    Path real = Files.writeString(dir.resolve("real-cluster"), "7000000000000000001\n");
    Process mkfifo = new ProcessBuilder("mkfifo", spool.resolve("cluster").toString()).start();
    assertThat(mkfifo.waitFor()).isZero();

    WalAgentProcess.Ran fifo = WalAgentProcess.run(client, spool.toString(), segment.toString());
    Files.delete(spool.resolve("cluster"));
    Files.createSymbolicLink(spool.resolve("cluster"), real);
    WalAgentProcess.Ran link = WalAgentProcess.run(client, spool.toString(), segment.toString());

    for (WalAgentProcess.Ran ran : List.of(fifo, link)) {
      assertThat(ran.code()).as(ran.output()).isEqualTo(1);
      assertThat(ran.output()).contains("/cluster is not a regular file");
      assertThat(ran.took()).isLessThan(AT_ONCE);
    }
  }

  @Test
  void a_push_the_agent_marked_failed_fails_archive_command_with_its_reason() throws Exception {
    Files.createFile(spool.resolve("agent.alive"));
    Files.writeString(spool.resolve(SEGMENT + ".error"), "store did not answer in time\n");

    WalAgentProcess.Ran ran = WalAgentProcess.run(client, spool.toString(), "pg_wal/" + SEGMENT);

    assertThat(ran.code()).isEqualTo(1);
    assertThat(ran.output()).contains(SEGMENT + " not archived: store did not answer in time");
  }

  @Test
  void a_segment_the_agent_never_marks_fails_after_the_timeout() throws Exception {
    Files.createFile(spool.resolve("agent.alive"));

    WalAgentProcess.Ran ran =
        WalAgentProcess.run(client, "-t", "1", spool.toString(), "pg_wal/" + SEGMENT);

    assertThat(ran.code()).isEqualTo(1);
    assertThat(ran.output()).contains("not archived within 1 s");
    assertThat(ran.took()).isLessThan(AT_ONCE);
  }

  @Test
  void a_name_that_is_not_a_wal_file_is_refused_without_looking_at_the_spool() throws Exception {
    Files.createFile(spool.resolve("agent.alive"));
    Files.createFile(spool.resolve("passwd.ok"));

    WalAgentProcess.Ran ran = WalAgentProcess.run(client, spool.toString(), "/etc/passwd");

    assertThat(ran.code()).isEqualTo(1);
    assertThat(ran.output()).contains("'passwd' is not a WAL file name");
  }

  /**
   * A data directory as far as the client reads it: {@code global/pg_control}, whose first 8 bytes
   * are the cluster's system identifier (the two-cluster case against real servers is in {@link
   * WalAgentTest}).
   */
  static Path dataDirectory(Path dir, long systemIdentifier) throws Exception {
    Path data = dir.resolve("data-" + systemIdentifier);
    Files.createDirectories(data.resolve("pg_wal"));
    Files.write(
        Files.createDirectories(data.resolve("global")).resolve("pg_control"),
        ByteBuffer.allocate(16).order(ByteOrder.nativeOrder()).putLong(systemIdentifier).array());
    return data;
  }
}
