package io.pgfleet.worker.procedure.backup;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.luben.zstd.ZstdOutputStream;
import io.pgfleet.commands.BackupParams;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoredEncodingTest {
  /** COPY lines like the fleet's notes: an id, an account, two md5 texts and a short phrase. */
  private static byte[] rowsOfRandomText() throws Exception {
    Random random = new Random(7);
    MessageDigest md5 = MessageDigest.getInstance("MD5");
    String[] phrases = {"called back", "refund approved", "address changed", "escalated to tier 2"};
    StringBuilder sb = new StringBuilder();
    for (int i = 1; sb.length() < 8_000_000; i++) {
      String a = HexFormat.of().formatHex(md5.digest(Long.toString(random.nextLong()).getBytes()));
      String b = HexFormat.of().formatHex(md5.digest(Long.toString(random.nextLong()).getBytes()));
      sb.append(i).append('\t').append(1 + random.nextInt(30_000)).append('\t');
      sb.append(a)
          .append(' ')
          .append(b)
          .append(' ')
          .append(phrases[random.nextInt(4)])
          .append('\n');
    }
    return sb.toString().getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] compress(ZstdOutputStream zstd, ByteArrayOutputStream sink, byte[] data)
      throws IOException {
    try (zstd) {
      zstd.write(data);
    }
    return sink.toByteArray();
  }

  @Test
  void
      the_default_level_stores_rows_of_random_text_smaller_than_the_library_level_and_zstd_reads_it(
          @TempDir Path dir) throws Exception {
    byte[] rows = rowsOfRandomText();
    int level = io.pgfleet.commands.BackupParams.DEFAULT_ZSTD_LEVEL;
    ByteArrayOutputStream tunedSink = new ByteArrayOutputStream();
    byte[] tuned = compress(StoredEncoding.compressor(tunedSink, level), tunedSink, rows);
    ByteArrayOutputStream plainSink = new ByteArrayOutputStream();
    byte[] plain =
        compress(
            new ZstdOutputStream(plainSink, level).setLong(StoredEncoding.LONG_WINDOW_LOG),
            plainSink,
            rows);

    assertThat(tuned.length).isLessThan(plain.length);
    // the standard tool restores it without options
    Path stored = Files.write(dir.resolve("rows.zst"), tuned);
    Process zstd =
        new ProcessBuilder("zstd", "-dc", stored.toString())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    byte[] decoded = zstd.getInputStream().readAllBytes();
    assertThat(zstd.waitFor()).isZero();
    assertThat(decoded).isEqualTo(rows);
  }

  /** An upload as the encoding sees it: closing it would abort it. */
  private static final class Upload extends ByteArrayOutputStream {
    boolean closed;

    @Override
    public void close() {
      closed = true;
    }
  }

  @Test
  void an_object_stored_whole_is_encoded_as_a_pieced_one_and_its_upload_is_left_open()
      throws Exception {
    byte[] rows = Arrays.copyOf(rowsOfRandomText(), 2_000_000);
    BackupParams params = BackupParams.defaults();
    Upload whole = new Upload();
    try (OutputStream out = StoredEncoding.whole(whole, params, null, null)) {
      out.write(rows);
    }
    Upload pieced = new Upload();
    try (OutputStream out = StoredEncoding.around(pieced, params, null, null).out()) {
      out.write(rows);
    }

    assertThat(whole.toByteArray()).isEqualTo(pieced.toByteArray());
    assertThat(whole.closed).as("closing the encoding must not abort the upload").isFalse();
    assertThat(pieced.closed).isFalse();
  }
}
