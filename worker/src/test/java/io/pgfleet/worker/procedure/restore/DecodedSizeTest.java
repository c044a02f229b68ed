package io.pgfleet.worker.procedure.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgfleet.commands.result.ErrorCode;
import io.pgfleet.worker.config.BackupSettings;
import io.pgfleet.worker.failure.ProcedureFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A drill with jobs refuses to decode an archive its work directory's disk cannot hold. */
class DecodedSizeTest {
  @TempDir Path dir;

  @Test
  void a_decoded_archive_larger_than_the_free_disk_fails_as_insufficient_disk_before_writing()
      throws Exception {
    Path work = dir.resolve("work");
    long free = Files.getFileStore(dir).getUsableSpace();
    BackupSettings settings = new BackupSettings(2, work, 256L << 20);

    assertThatThrownBy(() -> DecodedSize.requireRoom("s3://b/k", free, settings))
        .isInstanceOfSatisfying(
            ProcedureFailure.class,
            f -> assertThat(f.code()).isEqualTo(ErrorCode.INSUFFICIENT_DISK))
        .hasMessageContaining("s3://b/k")
        .hasMessageContaining("backup.keepFreeMb")
        .hasMessageContaining("drill without jobs");
    try (var files = Files.list(work)) {
      assertThat(files).isEmpty();
    }
    DecodedSize.requireRoom("s3://b/k", 1 << 20, settings); // a small one fits
  }
}
