package io.pgfleet.worker.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A fetched WAL file is written complete or not at all, and a failed write leaves nothing. */
class WalFilesTest {
  @TempDir Path dir;

  @Test
  void a_file_is_written_whole_under_its_name() {
    WalFiles.writeAtomically(dir.resolve("RECOVERYXLOG"), new byte[] {1, 2, 3});

    assertThat(dir.resolve("RECOVERYXLOG")).hasBinaryContent(new byte[] {1, 2, 3});
    assertThat(dir.resolve("RECOVERYXLOG.pgfleet-partial")).doesNotExist();
  }

  @Test
  void a_write_that_fails_after_the_bytes_are_out_removes_them() throws Exception {
    // the last step, the rename, fails: a directory that is not empty holds the name
    Path taken = Files.createDirectories(dir.resolve("RECOVERYXLOG"));
    Files.writeString(taken.resolve("keep"), "x");

    assertThatThrownBy(() -> WalFiles.writeAtomically(taken, new byte[16 * 1024 * 1024]))
        .isInstanceOf(WalArchiveException.class)
        .hasMessageContaining("cannot write " + taken);

    assertThat(dir.resolve("RECOVERYXLOG.pgfleet-partial")).doesNotExist();
    assertThat(taken.resolve("keep")).hasContent("x");
  }
}
