package io.pgfleet.worker.procedure.basebackup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.ZstdInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BaseTarCompressionTest {
  /** Rows like the bench's: random md5 text, a counter, a repeated word, as in data pages. */
  private static byte[] pages() {
    Random random = new Random(11);
    StringBuilder rows = new StringBuilder();
    byte[] md5 = new byte[16];
    for (int i = 0; rows.length() < 4_000_000; i++) {
      random.nextBytes(md5);
      rows.append(HexFormat.of().formatHex(md5)).append(" order ").append(i).append('\0');
    }
    return rows.toString().getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] compressed(byte[] content) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream zstd = BaseTarCompression.around(out)) {
      zstd.write(content);
    }
    return out.toByteArray();
  }

  private static byte[] read(byte[] stored, int windowLogMax) throws IOException {
    try (ZstdInputStream in = new ZstdInputStream(new ByteArrayInputStream(stored))) {
      in.setLongMax(windowLogMax);
      return in.readAllBytes();
    }
  }

  @Test
  void a_base_tar_reads_back_whole_through_a_reader_limited_to_a_one_mib_window() throws Exception {
    byte[] content = pages();
    byte[] stored = compressed(content);

    assertThat(read(stored, BaseTarCompression.WINDOW_LOG)).isEqualTo(content);
    assertThat(stored.length).isLessThan(content.length * 6 / 10);
  }

  @Test
  void a_stored_base_tar_with_one_byte_changed_is_never_read_back_as_a_tar() throws Exception {
    byte[] stored = compressed(pages());
    stored[stored.length / 2] ^= 0x40;

    assertThatThrownBy(() -> read(stored, BaseTarCompression.WINDOW_LOG))
        .isInstanceOf(IOException.class);
  }

  @Test
  void the_frame_header_declares_a_content_checksum() throws Exception {
    byte[] stored = compressed(pages());

    assertThat(stored).startsWith((byte) 0x28, (byte) 0xB5, (byte) 0x2F, (byte) 0xFD);
    assertThat(stored[4] & 0x04)
        .as("Frame_Header_Descriptor bit 2: Content_Checksum_flag")
        .isNotZero();
  }

  @Test
  void a_stored_base_tar_whose_checksum_alone_is_changed_is_never_read_back() throws Exception {
    byte[] stored = compressed(pages());
    stored[stored.length - 1] ^= 0x01; // the last 4 bytes are the XXH64 content checksum

    assertThatThrownBy(() -> read(stored, BaseTarCompression.WINDOW_LOG))
        .isInstanceOf(IOException.class);
  }

  @Test
  void zstd_level_3_defaults_would_not_fit_that_reader_so_the_window_is_really_set()
      throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream zstd = new com.github.luben.zstd.ZstdOutputStream(out, 3)) {
      zstd.write(pages());
    }

    assertThatThrownBy(() -> read(out.toByteArray(), BaseTarCompression.WINDOW_LOG))
        .isInstanceOf(IOException.class);
  }
}
