package io.pgfleet.worker.procedure.basebackup;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.luben.zstd.ZstdInputStream;
import io.pgfleet.worker.storage.ArtifactStore;
import io.pgfleet.worker.storage.LocalStores;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scratch path's files (one tar per tablespace) stored on a real S3 API (S3Proxy). */
class CompressedUploadsTest {
  private static ArtifactStore store;

  @BeforeAll
  static void connect() {
    store = LocalStores.onNewBucket("scratchtars");
  }

  @AfterAll
  static void close() {
    store.close();
  }

  @Test
  void a_tablespace_tar_is_stored_with_zstds_content_checksum_and_the_sha256_of_the_tar(
      @TempDir Path dir) throws Exception {
    byte[] tar = new byte[3_000_000];
    Random random = new Random(5);
    for (int i = 0; i < tar.length; i += 64) {
      tar[i] = (byte) random.nextInt(8);
    }
    Path file = dir.resolve("16385.tar");
    Files.write(file, tar);

    BaseManifest.File stored = CompressedUploads.file(store, file, "t/base/");

    assertThat(stored.key()).isEqualTo("t/base/16385.tar.zst");
    assertThat(stored.bytes()).isEqualTo(tar.length);
    assertThat(stored.sha256())
        .as("the scratch path still fills files[].sha256 with the tar's own sha256")
        .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(tar)));
    byte[] object;
    try (InputStream in = store.read(stored.key())) {
      object = in.readAllBytes();
    }
    assertThat(object.length).isEqualTo(stored.storedBytes());
    assertThat(object).startsWith((byte) 0x28, (byte) 0xB5, (byte) 0x2F, (byte) 0xFD);
    assertThat(object[4] & 0x04)
        .as("the frame header's Content_Checksum_flag: every read checks the tar's XXH64")
        .isNotZero();
    try (ZstdInputStream in = new ZstdInputStream(new java.io.ByteArrayInputStream(object))) {
      in.setLongMax(BaseTarCompression.WINDOW_LOG);
      assertThat(in.readAllBytes()).isEqualTo(tar);
    }
  }

  @Test
  void backup_manifest_beside_the_tars_reads_back_whole(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("backup_manifest");
    Files.writeString(file, "{\"PostgreSQL-Backup-Manifest-Version\": 1}\n");

    BaseManifest.File stored = CompressedUploads.file(store, file, "t/base/");

    byte[] object;
    try (InputStream in = store.read(stored.key())) {
      object = in.readAllBytes();
    }
    assertThat(stored.key()).isEqualTo("t/base/backup_manifest.zst");
    try (ZstdInputStream in = new ZstdInputStream(new java.io.ByteArrayInputStream(object))) {
      assertThat(in.readAllBytes()).isEqualTo(Files.readAllBytes(file));
    }
  }
}
