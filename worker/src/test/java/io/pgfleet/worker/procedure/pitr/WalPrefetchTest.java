package io.pgfleet.worker.procedure.pitr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgfleet.local.LocalStack;
import io.pgfleet.runtime.config.Secret;
import io.pgfleet.worker.config.PitrSettings;
import io.pgfleet.worker.config.StorageSettings;
import io.pgfleet.worker.storage.ArtifactStore;
import io.pgfleet.worker.wal.WalArchive;
import io.pgfleet.worker.wal.WalFileName;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The prefetch spool restore-pitr and the physical drill recover through, against the real object
 * store: restore_command (run by sh as PostgreSQL runs it) copies segments fetched ahead, with
 * their archived bytes; what was not fetched ahead is asked of the worker, which answers as
 * wal-fetch would, and what the worker cannot answer goes to wal-fetch.
 */
class WalPrefetchTest {
  private static final LocalStack stack = LocalStack.shared();
  private static final String BUCKET = "wal-prefetch";
  private static final String TARGET = "prefetch_db";

  @Test
  void restore_command_copies_segments_fetched_ahead_and_asks_the_worker_for_the_partial_after(
      @TempDir Path dir) throws Exception {
    stack.s3().createBucket(BUCKET);
    Recovery r = Recovery.in(dir, "data");
    try (ArtifactStore store = ArtifactStore.connect(storage())) {
      WalArchive archive = new WalArchive(store, TARGET);
      Map<String, byte[]> pushed = new HashMap<>();
      Random random = new Random(15);
      for (int i = 0x10; i < 0x1C; i++) {
        pushed.put(segment(1, i), push(archive, segment(1, i), random));
      }
      push(archive, segment(2, 0x12), random); // another timeline's: recovery passes it by
      // not prefetched (only complete segments are): the worker answers with it when asked
      byte[] partial = push(archive, segment(1, 0x1C) + ".partial", random);

      Path spool = r.spool().orElseThrow();
      try (WalPrefetch prefetch =
          WalPrefetch.start(archive, Optional.of(spool), segment(1, 0x10))) {
        await("the spool filled up to its bound")
            .atMost(Duration.ofSeconds(30))
            .until(() -> files(spool).size() == WalPrefetch.AHEAD);
        Thread.sleep(500);
        assertThat(files(spool)).hasSize(WalPrefetch.AHEAD);

        for (int i = 0x10; i < 0x1C; i++) {
          String name = segment(1, i);
          await("segment " + name + " fetched ahead")
              .atMost(Duration.ofSeconds(30))
              .until(() -> Files.exists(spool.resolve(name)));
          assertThat(r.restore(name)).as(name).isZero();
          assertThat(Files.readAllBytes(r.dataDir().resolve("pg_wal/RECOVERYXLOG")))
              .isEqualTo(pushed.get(name));
        }
        assertThat(r.restore(segment(1, 0x1C))).isZero();
        assertThat(Files.readAllBytes(r.dataDir().resolve("pg_wal/RECOVERYXLOG")))
            .isEqualTo(partial);
        assertThat(Files.exists(r.calls())).as("wal-fetch started").isFalse();
        await("the other timeline's segment dropped once recovery passed it")
            .atMost(Duration.ofSeconds(10))
            .until(() -> files(spool).isEmpty());
        assertThat(prefetch.fetched()).isEqualTo(13);
        assertThat(prefetch.served()).isEqualTo(12);
        assertThat(prefetch.answered()).isEqualTo(1);
      }
      assertThat(spool).doesNotExist();
    }
  }

  @Test
  void nothing_is_prefetched_when_restore_command_cannot_name_the_spool_and_wal_fetch_serves_all(
      @TempDir Path dir) throws Exception {
    stack.s3().createBucket(BUCKET);
    Recovery r = Recovery.in(dir, "restore root/data");
    try (ArtifactStore store = ArtifactStore.connect(storage())) {
      WalArchive archive = new WalArchive(store, TARGET + "_unplain");
      Random random = new Random(16);
      for (int i = 0x10; i < 0x14; i++) {
        push(archive, segment(1, i), random);
      }
      assertThat(r.spool()).isEmpty();
      assertThat(r.command())
          .isEqualTo(
              r.walFetch()
                  + " wal-fetch --config /etc/pgfleet/archive.yaml --target "
                  + TARGET
                  + " %f %p");

      try (WalPrefetch prefetch = WalPrefetch.start(archive, r.spool(), segment(1, 0x10))) {
        assertThat(prefetch.started()).as("nothing will be fetched ahead").isFalse();
        assertThat(prefetch.fetched()).isZero();
        assertThat(r.dataDir().resolve(WalPrefetch.SPOOL)).doesNotExist();
        assertThat(r.restore(segment(1, 0x10))).isEqualTo(1);
        assertThat(Files.readString(r.calls())).contains(segment(1, 0x10));
      }
    }
  }

  @Test
  void the_worker_answers_found_and_not_archived_and_leaves_a_corrupt_file_to_wal_fetch(
      @TempDir Path dir) throws Exception {
    stack.s3().createBucket(BUCKET);
    Recovery r = Recovery.in(dir, "data");
    try (ArtifactStore store = ArtifactStore.connect(storage())) {
      WalArchive archive = new WalArchive(store, TARGET + "_asked");
      Random random = new Random(17);
      byte[] history = push(archive, "00000002.history", random);
      push(archive, segment(1, 0x21), random);
      byte[] other = push(archive, segment(1, 0x22), random);
      // segment 0x21's object replaced by 0x22's bytes under 0x21's own sha256: corrupt
      String corrupt = archive.key(new WalFileName(segment(1, 0x21)));
      var metadata = store.readWithMetadata(corrupt).orElseThrow().metadata();
      byte[] otherBytes =
          store
              .readWithMetadata(archive.key(new WalFileName(segment(1, 0x22))))
              .orElseThrow()
              .bytes();
      store.putWithMetadata(corrupt, otherBytes, "application/zstd", metadata);

      Path spool = r.spool().orElseThrow();
      // from a position past every segment: nothing is fetched ahead, everything is asked
      try (WalPrefetch prefetch =
          WalPrefetch.start(archive, Optional.of(spool), segment(1, 0x30))) {
        assertThat(r.restore("00000002.history")).isZero();
        assertThat(Files.readAllBytes(r.dataDir().resolve("pg_wal/RECOVERYXLOG")))
            .isEqualTo(history);
        assertThat(r.restore("00000003.history")).as("not archived").isEqualTo(1);
        assertThat(r.restore(segment(1, 0x22))).isZero();
        assertThat(Files.readAllBytes(r.dataDir().resolve("pg_wal/RECOVERYXLOG"))).isEqualTo(other);
        assertThat(Files.exists(r.calls())).as("wal-fetch started").isFalse();

        assertThat(r.restore(segment(1, 0x21))).as("the fake wal-fetch's exit code").isEqualTo(1);
        assertThat(Files.readString(r.calls()))
            .isEqualTo(
                "wal-fetch --config /etc/pgfleet/archive.yaml --target "
                    + TARGET
                    + " "
                    + segment(1, 0x21)
                    + " pg_wal/RECOVERYXLOG\n");
        assertThat(prefetch.answered()).isEqualTo(3);
        Instant asked = Instant.now();
        await("the worker renews its marker")
            .atMost(Duration.ofSeconds(10))
            .until(
                () ->
                    Files.getLastModifiedTime(spool.resolve(WalRequests.ANSWERING))
                        .toInstant()
                        .isAfter(asked));
        try (Stream<Path> left = Files.list(spool)) {
          assertThat(left.map(p -> p.getFileName().toString()))
              .as("no request, answer or half-written file left")
              .containsExactly(WalRequests.ANSWERING);
        }
      }
      assertThat(spool).doesNotExist();
    }
  }

  @Test
  void a_marker_left_by_a_killed_worker_sends_requests_straight_to_wal_fetch(@TempDir Path dir)
      throws Exception {
    Recovery r = Recovery.in(dir, "data");
    Path spool = r.spool().orElseThrow();
    // what kill -9 leaves: the marker, no longer renewed, and nobody answering
    Path marker = Files.createFile(spool.resolve(WalRequests.ANSWERING));
    Files.setLastModifiedTime(
        marker, FileTime.from(Instant.now().minusSeconds(WalRequests.ALIVE_SECONDS + 2)));

    long started = System.nanoTime();
    assertThat(r.restore(segment(1, 0x40))).isEqualTo(1);
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    assertThat(Files.readString(r.calls())).contains(segment(1, 0x40));
    assertThat(took)
        .as("no wait for an answer that cannot come (the wait is 10 s)")
        .isLessThan(Duration.ofSeconds(5));
    try (Stream<Path> left = Files.list(spool)) {
      assertThat(left.map(p -> p.getFileName().toString()))
          .as("nothing asked")
          .containsExactly(WalRequests.ANSWERING);
    }
  }

  /**
   * A data directory with its pg_wal, its spool if restore_command can name it, a fake pgfleet
   * recording its calls, and the restore_command that uses them.
   */
  private record Recovery(
      Path calls, Path walFetch, Path dataDir, Optional<Path> spool, String command) {
    static Recovery in(Path dir, String dataDirName) throws Exception {
      Path calls = dir.resolve("wal-fetch-calls");
      Path walFetch = fakePgfleet(dir, calls);
      Path dataDir = Files.createDirectories(dir.resolve(dataDirName));
      Files.createDirectories(dataDir.resolve("pg_wal"));
      Optional<Path> spool = WalPrefetch.createSpool(dataDir);
      String command =
          RestorePitrProcedure.restoreCommand(
              new PitrSettings(
                  walFetch.toString(), Path.of("/etc/pgfleet/archive.yaml"), dir, null, null),
              TARGET,
              spool);
      return new Recovery(calls, walFetch, dataDir, spool, command);
    }

    /** restore_command run by sh in the data directory, as PostgreSQL runs it for {@code name}. */
    int restore(String name) throws Exception {
      return WalPrefetchTest.restore(command, dataDir, name);
    }
  }

  /** A pgfleet that writes its arguments to {@code calls} and answers "not archived" (exit 1). */
  private static Path fakePgfleet(Path dir, Path calls) throws Exception {
    Path script = dir.resolve("fake-pgfleet");
    Files.writeString(script, "#!/bin/sh\necho \"$@\" >> " + calls + "\nexit 1\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    return script;
  }

  private static int restore(String command, Path dataDir, String name) throws Exception {
    String expanded = expand(command, name, "pg_wal/RECOVERYXLOG");
    Process sh =
        new ProcessBuilder("sh", "-c", expanded)
            .directory(dataDir.toFile())
            .redirectErrorStream(true)
            .start();
    sh.getInputStream().readAllBytes();
    return sh.waitFor();
  }

  /** restore_command as PostgreSQL expands it: %f, %p, and %% for a %. */
  private static String expand(String command, String file, String path) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < command.length(); i++) {
      char c = command.charAt(i);
      if (c == '%' && i + 1 < command.length()) {
        char next = command.charAt(++i);
        switch (next) {
          case 'f' -> out.append(file);
          case 'p' -> out.append(path);
          case '%' -> out.append('%');
          default -> throw new IllegalArgumentException("PostgreSQL 16+ rejects %" + next);
        }
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static byte[] push(WalArchive archive, String name, Random random) {
    byte[] content = new byte[64 * 1024];
    random.nextBytes(content);
    archive.push(new WalFileName(name), content);
    return content;
  }

  private static String segment(int timeline, int number) {
    return String.format("%08X%08X%08X", timeline, 0, number);
  }

  private static List<String> files(Path spool) throws Exception {
    try (Stream<Path> list = Files.list(spool)) {
      return list.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).toList();
    }
  }

  private static StorageSettings storage() {
    return new StorageSettings(
        stack.s3().endpoint(),
        stack.s3().region(),
        BUCKET,
        "backups",
        true,
        Secret.literal(stack.s3().accessKey()),
        Secret.literal(stack.s3().secretKey()),
        StorageSettings.MIN_PART_SIZE,
        0);
  }
}
