package io.pgfleet.worker.procedure.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgfleet.commands.BackupParams;
import io.pgfleet.commands.result.ErrorCode;
import io.pgfleet.worker.config.BackupSettings;
import io.pgfleet.worker.failure.ProcedureFailure;
import io.pgfleet.worker.storage.Manifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A drill with jobs refuses to decode an archive its work directory's disk cannot hold, sized
 * conservatively when the manifest does not say.
 */
class DecodedSizeTest {
  @TempDir Path dir;

  @Test
  void a_decoded_archive_larger_than_the_free_disk_fails_as_insufficient_disk_before_writing()
      throws Exception {
    Path work = dir.resolve("work");
    long free = Files.getFileStore(dir).getUsableSpace();
    BackupSettings settings = new BackupSettings(2, work, 256L << 20);

    assertThatThrownBy(() -> WorkDirRoom.require("s3://b/k", free, settings))
        .isInstanceOfSatisfying(
            ProcedureFailure.class,
            f -> assertThat(f.code()).isEqualTo(ErrorCode.INSUFFICIENT_DISK))
        .hasMessageContaining("s3://b/k")
        .hasMessageContaining("backup.keepFreeMb")
        .hasMessageContaining("drill without jobs");
    try (var files = Files.list(work)) {
      assertThat(files).isEmpty();
    }
    WorkDirRoom.require("s3://b/k", 1 << 20, settings); // a small one fits
  }

  @Test
  void a_zstd_manifest_without_table_bytes_is_sized_at_twenty_times_its_stored_bytes() {
    long stored = 10L << 20;
    Manifest.TableCount counted = new Manifest.TableCount("public", "old", 1_000_000);
    Manifest.TableCount read =
        new Manifest.TableCount("public", "new", 1_000_000, 300L << 20, "ab", 7);

    assertThat(DecodedSize.of(manifest(stored, BackupParams.ZSTD, List.of(read, counted))))
        .isEqualTo(20 * stored);
    assertThat(DecodedSize.of(manifest(stored, BackupParams.ZSTD, List.of(read))))
        .isEqualTo((300L << 20) + 8_000_000);
    assertThat(DecodedSize.of(manifest(stored, BackupParams.GZIP, List.of(counted))))
        .isEqualTo(stored); // pg_dump's own compression: stored as it is
  }

  private static Manifest manifest(
      long stored, String compression, List<Manifest.TableCount> tables) {
    return new Manifest(
        Manifest.VERSION,
        "pg_dump",
        "t",
        "db",
        "c",
        1,
        "w",
        new Manifest.ArtifactObject("s3://b/k", "k", stored, "ab"),
        new Manifest.Dump("pg_dump", "15", "custom", compression, 2, null, false, null, null),
        null,
        null,
        null,
        tables,
        null,
        null);
  }
}
