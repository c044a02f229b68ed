package io.pgfleet.worker.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Streaming uploads against a real S3 API (S3Proxy). */
class MultipartUploadTest {
  private static final int PART = 5 * 1024 * 1024;
  private static ArtifactStore store;

  @BeforeAll
  static void connect() {
    store = LocalStores.onNewBucket("mpu");
  }

  @AfterAll
  static void close() {
    store.close();
  }

  @Test
  void a_stream_longer_than_several_parts_arrives_whole_with_its_sha256() throws Exception {
    byte[] data = new byte[2 * PART + 12345];
    new Random(7).nextBytes(data);

    MultipartUpload upload = store.upload("t/whole.bin", "application/octet-stream");
    for (int off = 0; off < data.length; off += 70_000) {
      upload.write(data, off, Math.min(70_000, data.length - off));
    }
    StoredObject stored = upload.complete();

    String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    assertThat(stored.sha256()).isEqualTo(expected);
    assertThat(stored.bytes()).isEqualTo(data.length);
    try (InputStream in = store.read("t/whole.bin")) {
      assertThat(in.readAllBytes()).isEqualTo(data);
    }
  }

  @Test
  void uploads_after_an_aborted_and_a_completed_one_reuse_their_buffers_and_arrive_whole()
      throws Exception {
    Random random = new Random(11);
    byte[] first = new byte[PART + 999];
    random.nextBytes(first);
    MultipartUpload aborted = store.upload("t/reuse-aborted.bin", "application/octet-stream");
    aborted.write(first, 0, first.length);
    aborted.abort(); // its buffers go back to the store, one part perhaps still in flight

    for (int round = 0; round < 2; round++) {
      byte[] data = new byte[2 * PART + 777 * round];
      random.nextBytes(data);
      String key = "t/reuse-" + round + ".bin";
      MultipartUpload upload = store.upload(key, "application/octet-stream");
      for (int off = 0; off < data.length; off += 100_000) {
        upload.write(data, off, Math.min(100_000, data.length - off));
      }
      StoredObject stored = upload.complete();

      assertThat(stored.sha256())
          .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data)));
      try (InputStream in = store.read(key)) {
        assertThat(in.readAllBytes()).isEqualTo(data);
      }
    }
  }

  @Test
  void an_aborted_upload_leaves_no_object_and_no_open_upload() throws Exception {
    MultipartUpload upload = store.upload("t/aborted.bin", "application/octet-stream");
    upload.write(new byte[PART + 10], 0, PART + 10);
    assertThat(openUploads("t/aborted.bin")).isEqualTo(1);

    upload.abort();

    assertThat(openUploads("t/aborted.bin")).isZero();
    assertThat(store.exists("t/aborted.bin")).isFalse();
  }

  @Test
  void starting_an_upload_aborts_one_left_open_by_a_dead_attempt_for_the_same_key()
      throws Exception {
    MultipartUpload dead = store.upload("t/retried.bin", "application/octet-stream");
    dead.write(new byte[PART], 0, PART); // never completed nor aborted: its worker "died"
    store.upload("t/other.bin", "application/octet-stream");

    MultipartUpload retry = store.upload("t/retried.bin", "application/octet-stream");

    assertThat(openUploads("t/retried.bin")).isEqualTo(1);
    assertThat(openUploads("t/other.bin")).isEqualTo(1);
    retry.write(new byte[] {1, 2, 3}, 0, 3);
    assertThat(retry.complete().bytes()).isEqualTo(3);
    assertThat(openUploads("t/retried.bin")).isZero();
  }

  private static long openUploads(String key) {
    return MultipartUpload.listOpen(store.client(), store.bucket(), key).stream()
        .filter(o -> o.key().equals(key))
        .count();
  }
}
