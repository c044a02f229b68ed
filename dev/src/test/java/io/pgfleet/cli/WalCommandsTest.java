package io.pgfleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgfleet.local.LocalStack;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code pgfleet wal-push} / {@code wal-fetch}: the exit-code contract PostgreSQL relies on. */
class WalCommandsTest {
  private static final LocalStack stack = LocalStack.shared();
  private static Path config;
  private static Path dir;

  @BeforeAll
  static void start() throws Exception {
    config = ArchiveConfig.write(stack, "cli-wal");
    dir = TempDirs.create("pgfleet-wal-commands");
  }

  @Test
  void a_segment_pushed_twice_is_archived_once_and_fetched_back_byte_for_byte() throws Exception {
    Path segment = file("000000010000000000000001", 42);

    assertThat(push("idem", segment)).isZero();
    assertThat(push("idem", segment)).isZero();

    Path fetched = dir.resolve("RECOVERYXLOG");
    assertThat(fetch("idem", "000000010000000000000001", fetched)).isZero();
    assertThat(Files.readAllBytes(fetched)).isEqualTo(Files.readAllBytes(segment));
  }

  @Test
  void a_different_file_under_an_archived_name_fails_loudly_and_the_archive_keeps_the_first()
      throws Exception {
    Path first = file("000000010000000000000002", 1);
    assertThat(push("conflict", first)).isZero();
    byte[] original = Files.readAllBytes(first);
    Path second = file("000000010000000000000002", 2);

    Captured run = captured(() -> push("conflict", second));

    assertThat(run.code()).isNotZero();
    assertThat(run.stderr()).contains("already archived with different content");
    Path fetched = dir.resolve("kept");
    assertThat(fetch("conflict", "000000010000000000000002", fetched)).isZero();
    assertThat(Files.readAllBytes(fetched)).isEqualTo(original);
  }

  @Test
  void fetching_a_file_the_archive_does_not_have_exits_1_without_a_message() {
    Captured run =
        captured(() -> fetch("missing", "000000010000000000000009", dir.resolve("none")));

    assertThat(run.code()).isEqualTo(WalFetchCommand.NOT_ARCHIVED);
    assertThat(run.stderr()).isEmpty();
    assertThat(dir.resolve("none")).doesNotExist();
  }

  @Test
  void history_files_and_backup_labels_are_archived_like_segments() throws Exception {
    for (String name :
        new String[] {"00000002.history", "000000010000000000000003.00000028.backup"}) {
      Path file = file(name, 7);
      assertThat(push("others", file)).isZero();
      Path fetched = dir.resolve("fetched-" + name);
      assertThat(fetch("others", name, fetched)).isZero();
      assertThat(Files.readAllBytes(fetched)).isEqualTo(Files.readAllBytes(file));
    }
  }

  @Test
  void a_file_that_is_not_wal_is_refused() throws Exception {
    Path file = dir.resolve("postgresql.conf");
    Files.writeString(file, "x");

    assertThat(captured(() -> push("bad", file)).code()).isNotZero();
  }

  @Test
  void a_spooled_push_stores_the_ready_files_ahead_and_marks_only_those_it_stored()
      throws Exception {
    Path walDir = Files.createDirectories(dir.resolve("spooled/pg_wal"));
    Path status = Files.createDirectories(walDir.resolve("archive_status"));
    Path spool = Files.createDirectories(dir.resolve("spooled/spool"));
    Path asked = copy(file("000000010000000000000010", 10), walDir);
    Path ready = copy(file("000000010000000000000011", 11), walDir);
    Path conflicting = copy(file("000000010000000000000012", 12), walDir);
    for (Path p : List.of(asked, ready, conflicting)) {
      Files.createFile(status.resolve(p.getFileName() + ".ready"));
    }
    assertThat(push("spooled", file("000000010000000000000012", 99))).isZero();

    Captured run = captured(() -> spooledPush("spooled", spool, asked));

    assertThat(run.code()).as(run.stderr()).isZero();
    assertThat(run.stderr())
        .contains("not pushed ahead: 000000010000000000000012")
        .contains("already archived with different content");
    try (var markers = Files.list(spool)) {
      assertThat(markers.map(p -> p.getFileName().toString()).filter(n -> !n.equals("cluster")))
          .containsExactly("000000010000000000000011.ok");
    }
    assertThat(spool.resolve("cluster")).as("the cluster the spool is bound to").isRegularFile();
    Path fetched = dir.resolve("ahead");
    assertThat(fetch("spooled", "000000010000000000000011", fetched)).isZero();
    assertThat(Files.readAllBytes(fetched)).isEqualTo(Files.readAllBytes(ready));
    assertThat(fetch("spooled", "000000010000000000000010", dir.resolve("asked"))).isZero();

    // asked for later without the launcher's fast path: pushed again (same content), marker spent
    assertThat(spooledPush("spooled", spool, ready)).isZero();
    assertThat(spool.resolve("000000010000000000000011.ok")).doesNotExist();
  }

  @Test
  void a_spool_that_is_not_a_directory_is_refused_with_what_to_fix() throws Exception {
    Path segment = file("000000010000000000000020", 20);

    Captured run = captured(() -> spooledPush("nospool", dir.resolve("no-such-spool"), segment));

    assertThat(run.code()).isEqualTo(ErrorHandler.USAGE);
    assertThat(run.stderr()).contains("--spool").contains("create it on local disk");
  }

  private static int spooledPush(String target, Path spool, Path file) {
    return Main.run(
        "wal-push",
        "-c",
        config.toString(),
        "-t",
        target,
        "--spool",
        spool.toString(),
        file.toString());
  }

  private static Path copy(Path file, Path to) throws Exception {
    return Files.copy(file, to.resolve(file.getFileName()));
  }

  private static int push(String target, Path file) {
    return Main.run("wal-push", "-c", config.toString(), "-t", target, file.toString());
  }

  private static int fetch(String target, String name, Path to) {
    return Main.run("wal-fetch", "-c", config.toString(), "-t", target, name, to.toString());
  }

  private static Path file(String name, long seed) throws Exception {
    Path sub = Files.createDirectories(dir.resolve("src-" + seed));
    byte[] content = new byte[1024 * 1024]; // the smallest WAL segment size
    new Random(seed).nextBytes(content);
    return Files.write(sub.resolve(name), content);
  }

  record Captured(int code, String stderr) {}

  private static Captured captured(java.util.function.IntSupplier run) {
    PrintStream saved = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      int code = run.getAsInt();
      return new Captured(code, err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(saved);
    }
  }
}
