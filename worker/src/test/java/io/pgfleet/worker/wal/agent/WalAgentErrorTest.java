package io.pgfleet.worker.wal.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgfleet.worker.storage.ArtifactStore;
import io.pgfleet.worker.storage.Artifacts;
import io.pgfleet.worker.storage.LocalStores;
import io.pgfleet.worker.wal.WalArchive;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A push that ends in an {@link Error} (not only an exception) is marked failed like any other, so
 * {@code pgfleet-wal-push} reports it at once instead of waiting out its timeout.
 */
class WalAgentErrorTest {
  private static final String SEGMENT = "000000010000000000000001";

  @Test
  void an_error_while_storing_leaves_an_error_marker_with_its_reason(@TempDir Path dir)
      throws Exception {
    Path pgWal = Files.createDirectories(dir.resolve("pg_wal"));
    Files.createDirectories(pgWal.resolve("archive_status"));
    Files.write(pgWal.resolve(SEGMENT), new byte[1024 * 1024]);
    Files.createFile(pgWal.resolve("archive_status").resolve(SEGMENT + ".ready"));
    Files.write(
        Files.createDirectories(dir.resolve("global")).resolve("pg_control"),
        ByteBuffer.allocate(16).order(ByteOrder.nativeOrder()).putLong(7L).array());
    Path spoolDir = Files.createDirectories(dir.resolve("spool"));
    Files.setPosixFilePermissions(spoolDir, PosixFilePermissions.fromString("rwx------"));

    try (ArtifactStore store = LocalStores.onNewBucket("walagenterror");
        WalAgent agent =
            new WalAgent(
                new WalArchive(failingPut(store), "error"),
                pgWal,
                AgentSpool.open(spoolDir, pgWal),
                1,
                line -> {})) {
      agent.start();

      Path marker = spoolDir.resolve(SEGMENT + ".error");
      Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(marker));
      assertThat(marker).content().contains("simulated: out of memory while storing");
      assertThat(spoolDir.resolve(SEGMENT + ".ok")).doesNotExist();
    }
  }

  /** The real store, whose PUT throws an {@link OutOfMemoryError}. */
  private static Artifacts failingPut(ArtifactStore store) {
    return (Artifacts)
        Proxy.newProxyInstance(
            Artifacts.class.getClassLoader(),
            new Class<?>[] {Artifacts.class},
            (proxy, method, args) -> {
              if (method.getName().equals("putIfAbsent")) {
                throw new OutOfMemoryError("simulated: out of memory while storing");
              }
              try {
                return method.invoke(store, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }
}
