package io.pgfleet.worker.wal.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgfleet.runtime.config.ConfigException;
import io.pgfleet.worker.wal.WalFileName;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The agent's spool: who may write it decides whether PostgreSQL may drop WAL. */
class AgentSpoolTest {
  @TempDir Path dir;

  @Test
  void a_spool_other_users_can_enter_is_refused_with_the_command_that_fixes_it() throws Exception {
    Path pgWal = Files.createDirectories(dir.resolve("pg_wal"));
    Path spool = Files.createDirectories(dir.resolve("spool"));
    Files.setPosixFilePermissions(spool, PosixFilePermissions.fromString("rwxr-x---"));

    assertThatThrownBy(() -> AgentSpool.open(spool, pgWal))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("open to other users")
        .hasMessageContaining("install -d -m 0700");
  }

  @Test
  void a_spool_owned_by_someone_else_than_the_server_is_refused() throws Exception {
    Path pgWal = Files.createDirectories(dir.resolve("pg_wal"));
    Path spool = Files.createDirectories(dir.resolve("spool"));
    Files.setPosixFilePermissions(spool, PosixFilePermissions.fromString("rwx------"));
    var nobody =
        dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
    Files.setOwner(pgWal, nobody);

    assertThatThrownBy(() -> AgentSpool.open(spool, pgWal))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("must belong to nobody");
  }

  @Test
  void markers_of_files_no_longer_ready_are_removed_and_a_success_clears_the_error()
      throws Exception {
    Path pgWal = Files.createDirectories(dir.resolve("pg_wal"));
    Path spool = Files.createDirectories(dir.resolve("spool"));
    Files.setPosixFilePermissions(spool, PosixFilePermissions.fromString("rwx------"));
    pgControl(dir, 7);
    AgentSpool agentSpool = AgentSpool.open(spool, pgWal);
    WalFileName done = new WalFileName("000000010000000000000001");
    WalFileName ready = new WalFileName("000000010000000000000002");
    agentSpool.markArchived(done);
    agentSpool.markFailed(ready, "store down");
    assertThat(spool.resolve(ready + ".error")).hasContent("store down");

    agentSpool.keepOnly(List.of(ready));
    agentSpool.markArchived(ready);

    assertThat(agentSpool.isMarked(done)).isFalse();
    assertThat(agentSpool.isMarked(ready)).isTrue();
    assertThat(spool.resolve(ready + ".error")).doesNotExist();
  }

  @Test
  void the_spool_records_its_cluster_and_refuses_the_wal_directory_of_another(@TempDir Path other)
      throws Exception {
    Path pgWal = Files.createDirectories(dir.resolve("pg_wal"));
    Path otherWal = Files.createDirectories(other.resolve("pg_wal"));
    Path spool = Files.createDirectories(dir.resolve("spool"));
    Files.setPosixFilePermissions(spool, PosixFilePermissions.fromString("rwx------"));
    pgControl(dir, 7_000_000_000_000_000_001L);
    pgControl(other, 7_000_000_000_000_000_002L);

    AgentSpool.open(spool, pgWal);
    assertThat(spool.resolve("cluster")).hasContent("7000000000000000001");
    AgentSpool.open(spool, pgWal); // the same cluster again: a restart

    assertThatThrownBy(() -> AgentSpool.open(spool, otherWal))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(
            "belongs to the PostgreSQL cluster with system identifier 7000000000000000001, not to"
                + " 7000000000000000002")
        .hasMessageContaining("Give each server a spool of its own");
    assertThat(spool.resolve("cluster")).hasContent("7000000000000000001");
  }

  @Test
  void a_cluster_file_holding_no_identifier_is_refused_with_its_first_bytes_escaped()
      throws Exception {
    Path pgWal = Files.createDirectories(dir.resolve("pg_wal"));
    Path spool = Files.createDirectories(dir.resolve("spool"));
    Files.setPosixFilePermissions(spool, PosixFilePermissions.fromString("rwx------"));
    pgControl(dir, 7_000_000_000_000_000_001L);
    byte[] garbage = new byte[200];
    garbage[0] = '7';
    garbage[1] = 0x1b; // ESC: a terminal escape sequence must not reach the operator's screen
    garbage[2] = '[';
    garbage[3] = '2';
    garbage[4] = 'J';
    garbage[5] = '\n';
    Files.write(spool.resolve("cluster"), garbage);

    assertThatThrownBy(() -> AgentSpool.open(spool, pgWal))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("holds no system identifier (it starts \"7\\x1b[2J\\x0a\\x00\\x00")
        .hasMessageContaining("...\", 200 bytes)")
        .hasMessageNotContaining("\u001b")
        .hasMessageNotContaining("\u0000");
    assertThat(spool.resolve("cluster")).hasBinaryContent(garbage);
  }

  @Test
  void of_two_clusters_binding_one_fresh_spool_at_once_exactly_one_wins_and_the_file_names_it(
      @TempDir Path other) throws Exception {
    Path pgWal = Files.createDirectories(dir.resolve("pg_wal"));
    Path otherWal = Files.createDirectories(other.resolve("pg_wal"));
    pgControl(dir, 7_000_000_000_000_000_001L);
    pgControl(other, 7_000_000_000_000_000_002L);
    for (int round = 0; round < 50; round++) {
      Path spool = Files.createDirectories(dir.resolve("spool-" + round));
      Files.setPosixFilePermissions(spool, PosixFilePermissions.fromString("rwx------"));
      CountDownLatch go = new CountDownLatch(1);
      List<CompletableFuture<String>> binds = new ArrayList<>();
      for (Path wal : List.of(pgWal, otherWal)) {
        binds.add(
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    go.await();
                    AgentSpool.open(spool, wal);
                    return wal == pgWal ? "7000000000000000001" : "7000000000000000002";
                  } catch (ConfigException refused) {
                    return "refused";
                  } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                  }
                }));
      }
      go.countDown();
      List<String> outcomes = binds.stream().map(CompletableFuture::join).toList();

      assertThat(outcomes).filteredOn(o -> o.equals("refused")).hasSize(1);
      String winner = outcomes.stream().filter(o -> !o.equals("refused")).findFirst().orElseThrow();
      assertThat(spool.resolve("cluster")).hasContent(winner);
      try (var left = Files.list(spool)) {
        assertThat(left.map(p -> p.getFileName().toString())).containsExactly("cluster");
      }
    }
  }

  @Test
  void markers_in_a_spool_that_records_no_cluster_yet_are_removed_when_it_is_bound()
      throws Exception {
    Path pgWal = Files.createDirectories(dir.resolve("pg_wal"));
    Path spool = Files.createDirectories(dir.resolve("spool"));
    Files.setPosixFilePermissions(spool, PosixFilePermissions.fromString("rwx------"));
    pgControl(dir, 7_000_000_000_000_000_001L);
    WalFileName leftover = new WalFileName("000000010000000000000001");
    Files.createFile(spool.resolve(leftover + ".ok")); // from before spools recorded a cluster

    AgentSpool bound = AgentSpool.open(spool, pgWal);

    assertThat(bound.isMarked(leftover)).as("another cluster's marker is never adopted").isFalse();
    assertThat(spool.resolve("cluster")).hasContent("7000000000000000001");
    bound.markArchived(leftover);
    AgentSpool.open(spool, pgWal); // bound already: a restart keeps the markers it wrote
    assertThat(bound.isMarked(leftover)).isTrue();
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void a_cluster_file_that_is_a_symbolic_link_or_a_fifo_is_refused_unread() throws Exception {
    Path pgWal = Files.createDirectories(dir.resolve("pg_wal"));
    Path spool = Files.createDirectories(dir.resolve("spool"));
    Files.setPosixFilePermissions(spool, PosixFilePermissions.fromString("rwx------"));
    pgControl(dir, 7_000_000_000_000_000_001L);
    Path elsewhere = Files.writeString(dir.resolve("elsewhere"), "7000000000000000001\n");
    Files.createSymbolicLink(spool.resolve("cluster"), elsewhere);

    assertThatThrownBy(() -> AgentSpool.open(spool, pgWal))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("cluster is not a regular file");

    Files.delete(spool.resolve("cluster"));
    Process mkfifo = new ProcessBuilder("mkfifo", spool.resolve("cluster").toString()).start();
    assertThat(mkfifo.waitFor()).isZero();
    assertThatThrownBy(() -> AgentSpool.open(spool, pgWal))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("cluster is not a regular file");
  }

  @Test
  void a_wal_push_user_is_told_about_the_wal_file_not_an_agent_option(@TempDir Path other)
      throws Exception {
    Path spool = Files.createDirectories(dir.resolve("spool"));
    Path pgWal = Files.createDirectories(dir.resolve("pg_wal"));
    Path otherWal = Files.createDirectories(other.resolve("pg_wal"));
    pgControl(dir, 7_000_000_000_000_000_001L);
    SpoolCluster.bind(spool, pgWal, "the WAL file pg_wal/000000010000000000000001");

    assertThatThrownBy(() -> SpoolCluster.bind(spool, otherWal, "the WAL file " + otherWal))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("cannot tell which PostgreSQL cluster the WAL file " + otherWal)
        .hasMessageNotContaining("--pg-wal");
    pgControl(other, 7_000_000_000_000_000_002L);
    assertThatThrownBy(() -> SpoolCluster.bind(spool, otherWal, "the WAL file " + otherWal))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("not to 7000000000000000002 (the WAL file " + otherWal + ")")
        .hasMessageNotContaining("--pg-wal");
  }

  /** A data directory's global/pg_control as far as the agent reads it: the identifier first. */
  private static void pgControl(Path dataDir, long systemIdentifier) throws Exception {
    Path global = Files.createDirectories(dataDir.resolve("global"));
    Files.write(
        global.resolve("pg_control"),
        ByteBuffer.allocate(16).order(ByteOrder.nativeOrder()).putLong(systemIdentifier).array());
  }
}
