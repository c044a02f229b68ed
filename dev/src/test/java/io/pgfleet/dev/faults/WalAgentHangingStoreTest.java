package io.pgfleet.dev.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgfleet.worker.config.WorkerConfigFile;
import io.pgfleet.worker.storage.ArtifactStore;
import io.pgfleet.worker.wal.WalArchive;
import io.pgfleet.worker.wal.agent.AgentSpool;
import io.pgfleet.worker.wal.agent.WalAgent;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An object store that accepts connections and never answers makes the agent's push fail within the
 * storage timeouts, and the archive_command ({@code pgfleet-wal-push}) exit non-zero with the
 * reason, so PostgreSQL keeps the segment and retries.
 */
@Tag("faults")
class WalAgentHangingStoreTest {
  private static final String SEGMENT = "000000010000000000000001";
  private static final Duration CALL = Duration.ofSeconds(3);

  @TempDir Path dir;

  @Test
  void archive_command_fails_within_two_call_timeouts_and_says_the_store_did_not_answer()
      throws Exception {
    Path pgWal = Files.createDirectories(dir.resolve("pg_wal"));
    Files.createDirectories(pgWal.resolve("archive_status"));
    // the agent and the client tell the cluster by the identifier pg_control starts with
    Files.write(
        Files.createDirectories(dir.resolve("global")).resolve("pg_control"),
        ByteBuffer.allocate(16).order(ByteOrder.nativeOrder()).putLong(7L).array());
    Path spool = Files.createDirectories(dir.resolve("spool"));
    Files.setPosixFilePermissions(spool, PosixFilePermissions.fromString("rwx------"));
    Path client =
        Path.of("").toAbsolutePath().getParent().resolve("deploy/wal-agent/pgfleet-wal-push");
    try (SilentStore store = SilentStore.silent();
        ArtifactStore artifacts = ArtifactStore.connect(WorkerConfigFile.storage(config(store)));
        WalAgent agent =
            new WalAgent(
                new WalArchive(artifacts, "hang"),
                pgWal,
                AgentSpool.open(spool, pgWal),
                2,
                System.err::println)) {
      agent.start();
      long start = System.nanoTime();
      Files.write(pgWal.resolve(SEGMENT), new byte[1024 * 1024]); // the smallest segment size
      Files.createFile(pgWal.resolve("archive_status").resolve(SEGMENT + ".ready"));

      Process p =
          new ProcessBuilder(
                  List.of(
                      client.toString(),
                      "-t",
                      "60",
                      spool.toString(),
                      pgWal.resolve(SEGMENT).toString()))
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes());
      int code = p.waitFor();
      Duration took = Duration.ofNanos(System.nanoTime() - start);

      assertThat(code).as(out).isEqualTo(1);
      assertThat(out).contains(SEGMENT + " not archived").contains("did not answer in time");
      // the push makes two requests (look up, then store): each gives up after the call timeout
      assertThat(took).isLessThan(CALL.multipliedBy(2).plusSeconds(5));
      assertThat(spool.resolve(SEGMENT + ".ok")).doesNotExist();
      FaultSummary.record("S3 hangs: wal-agent", 1, 1, 1, 0, 0);
    }
  }

  private Path config(SilentStore store) throws Exception {
    Path key = Files.writeString(dir.resolve("key"), "k");
    return Files.writeString(
        dir.resolve("archive.yaml"),
        """
        storage:
          endpoint: %s
          bucket: hang
          accessKey: {file: %s}
          secretKey: {file: %s}
          timeouts: {connect: 1s, read: 2s, attempt: 2s, call: %ds}
        """
            .formatted(store.endpoint(), key, key, CALL.toSeconds()));
  }
}
