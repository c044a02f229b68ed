package io.pgfleet.worker.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgfleet.worker.storage.ArtifactStore;
import io.pgfleet.worker.storage.LocalStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A WAL segment that is empty or cut short is refused before it is pushed, whether PostgreSQL asks
 * for it or it is pushed ahead, and never reaches the archive (S3Proxy here); history files, backup
 * labels and partial segments have sizes of their own and are pushed as before.
 */
class WalSegmentSizeTest {
  private static final int MIB = 1024 * 1024;
  private static ArtifactStore store;

  @BeforeAll
  static void connect() {
    store = LocalStores.onNewBucket("walsize");
  }

  @AfterAll
  static void close() {
    store.close();
  }

  @Test
  void only_a_power_of_two_from_1_mib_to_1_gib_is_a_wal_segment_size() {
    assertThat(List.of(1L << 20, 16L << 20, 64L << 20, 1L << 30)).allMatch(WalSegmentSize::isValid);
    assertThat(List.of(0L, 8192L, 512L << 10, (16L << 20) - 1, 3L << 20, 2L << 30))
        .noneMatch(WalSegmentSize::isValid);
  }

  @Test
  void an_empty_or_truncated_segment_asked_for_fails_and_is_never_archived(@TempDir Path dir)
      throws Exception {
    Path pgWal = Files.createDirectories(dir.resolve("pg_wal"));
    WalArchive archive = new WalArchive(store, "asked");
    SpooledPush push = new SpooledPush(archive, new WalSpool(dir), 2);
    for (int size : new int[] {0, 8192, 16 * MIB - 4096}) {
      Path segment = Files.write(pgWal.resolve("000000010000000000000001"), random(size));

      assertThatThrownBy(() -> push.push(segment, 0, w -> {}))
          .as("%d bytes", size)
          .isInstanceOf(WalArchiveException.class)
          .hasMessageContaining(size + " bytes, not a WAL segment size");
      assertThatThrownBy(() -> WalSegmentSize.check(segment))
          .isInstanceOf(WalArchiveException.class);
    }
    assertThat(archive.list()).isEmpty();
  }

  @Test
  void a_truncated_segment_ready_ahead_gets_no_marker_and_other_files_go_on(@TempDir Path dir)
      throws Exception {
    Path pgWal = Files.createDirectories(dir.resolve("pg_wal"));
    Path status = Files.createDirectories(pgWal.resolve("archive_status"));
    Path spoolDir = Files.createDirectories(dir.resolve("spool"));
    Path asked = Files.write(pgWal.resolve("000000010000000000000001"), random(MIB));
    List<String> ahead =
        List.of(
            "000000010000000000000002",
            "00000002.history",
            "000000010000000000000003.00000028.backup",
            "000000010000000000000004.partial");
    Files.write(pgWal.resolve(ahead.get(0)), random(MIB / 2)); // cut short
    for (String name : ahead.subList(1, ahead.size())) {
      Files.write(pgWal.resolve(name), random(300));
    }
    for (String name : ahead) {
      Files.createFile(status.resolve(name + ".ready"));
    }
    WalArchive archive = new WalArchive(store, "ahead");
    WalSpool spool = new WalSpool(spoolDir);
    List<String> warnings = new ArrayList<>();

    SpooledPush.Outcome outcome =
        new SpooledPush(archive, spool, 4).push(asked, ahead.size(), warnings::add);

    assertThat(outcome.pushed()).isEqualTo(WalArchive.Pushed.STORED);
    assertThat(outcome.markedAhead()).isEqualTo(3);
    assertThat(spool.isMarked(new WalFileName(ahead.get(0)))).isFalse();
    assertThat(warnings)
        .singleElement()
        .asString()
        .contains("not pushed ahead: " + ahead.get(0))
        .contains((MIB / 2) + " bytes, not a WAL segment size");
    assertThat(archive.list())
        .extracting(WalFileName::value)
        .containsExactlyInAnyOrder(
            "000000010000000000000001", ahead.get(1), ahead.get(2), ahead.get(3));
  }

  private static byte[] random(int size) {
    byte[] content = new byte[size];
    new Random(size).nextBytes(content);
    return content;
  }
}
