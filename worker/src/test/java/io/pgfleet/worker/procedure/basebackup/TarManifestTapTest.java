package io.pgfleet.worker.procedure.basebackup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarManifestTapTest {
  @TempDir Path dir;

  @Test
  void the_tar_passes_byte_for_byte_and_the_manifest_member_is_kept() throws Exception {
    byte[] data = new byte[70_000];
    new Random(7).nextBytes(data);
    Files.write(dir.resolve("PG_VERSION"), "15\n".getBytes());
    Files.createDirectories(dir.resolve("base/1"));
    Files.write(dir.resolve("base/1/1259"), data);
    Files.writeString(
        dir.resolve("backup_manifest"), "{\"PostgreSQL-Backup-Manifest-Version\": 1}");
    Process tar =
        new ProcessBuilder(
                "tar",
                "--create",
                "--format=ustar",
                "--file=-",
                "--directory=" + dir,
                "PG_VERSION",
                "base",
                "backup_manifest")
            .start();
    byte[] archive = tar.getInputStream().readAllBytes();
    assertThat(tar.waitFor()).isZero();

    ByteArrayOutputStream copied = new ByteArrayOutputStream();
    byte[] manifest =
        TarManifestTap.copy(new ByteArrayInputStream(archive), copied, "backup_manifest");

    assertThat(copied.toByteArray()).isEqualTo(archive);
    assertThat(new String(manifest)).isEqualTo("{\"PostgreSQL-Backup-Manifest-Version\": 1}");
  }

  @Test
  void a_tar_without_the_member_passes_and_keeps_nothing() throws Exception {
    Files.writeString(dir.resolve("PG_VERSION"), "15\n");
    Process tar =
        new ProcessBuilder("tar", "--create", "--file=-", "--directory=" + dir, "PG_VERSION")
            .start();
    byte[] archive = tar.getInputStream().readAllBytes();
    tar.waitFor();

    ByteArrayOutputStream copied = new ByteArrayOutputStream();
    assertThat(TarManifestTap.copy(new ByteArrayInputStream(archive), copied, "backup_manifest"))
        .isNull();
    assertThat(copied.toByteArray()).isEqualTo(archive);
  }
}
