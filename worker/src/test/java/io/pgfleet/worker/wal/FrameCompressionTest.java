package io.pgfleet.worker.wal;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdInputStream;
import java.io.ByteArrayInputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A WAL file compressed on several threads is several zstd frames back to back, which every reader
 * pgfleet uses (wal-fetch's {@code Zstd.decompress}, the restores' {@code ZstdInputStream}) takes
 * for the whole file.
 */
class FrameCompressionTest {
  private static final int SEGMENT = 16 * 1024 * 1024;

  @Test
  void a_segment_compressed_as_several_frames_decompresses_to_the_same_bytes() throws Exception {
    byte[] segment = walLike(SEGMENT, 7);

    byte[] compressed = FrameCompression.compress(segment, 1, 4);

    assertThat(frameCount(compressed)).isEqualTo(4);
    assertThat(Zstd.decompress(compressed, segment.length)).isEqualTo(segment);
    try (ZstdInputStream in = new ZstdInputStream(new ByteArrayInputStream(compressed))) {
      assertThat(in.readAllBytes()).isEqualTo(segment);
    }
  }

  @Test
  void slices_that_do_not_divide_the_file_evenly_lose_no_byte_and_fast_levels_work_too() {
    byte[] odd = walLike(3 * 1024 * 1024 + 12345, 8);

    for (int level : new int[] {1, -1, 3}) {
      byte[] compressed = FrameCompression.compress(odd, level, 2);
      assertThat(frameCount(compressed)).isEqualTo(2);
      assertThat(Zstd.decompress(compressed, odd.length)).isEqualTo(odd);
    }
  }

  @Test
  void a_small_file_is_one_frame_and_an_empty_one_round_trips() {
    assertThat(FrameCompression.frames(64 * 1024)).isEqualTo(1);
    assertThat(FrameCompression.frames(SEGMENT)).isEqualTo(FrameCompression.MAX_FRAMES);
    byte[] empty = FrameCompression.compress(new byte[0], 1);
    assertThat(Zstd.decompress(empty, 0)).isEmpty();
  }

  private static int frameCount(byte[] compressed) {
    int frames = 0;
    for (int at = 0; at < compressed.length; frames++) {
      long size = Zstd.findFrameCompressedSize(compressed, at);
      assertThat(Zstd.isError(size)).isFalse();
      at += (int) size;
    }
    return frames;
  }

  /** Compressible like WAL: runs of repeated records with random bytes between them. */
  private static byte[] walLike(int size, long seed) {
    Random random = new Random(seed);
    byte[] content = new byte[size];
    byte[] record = new byte[200];
    random.nextBytes(record);
    for (int at = 0; at < size; at += 256) {
      System.arraycopy(record, 0, content, at, Math.min(record.length, size - at));
      for (int i = at + record.length; i < Math.min(at + 256, size); i++) {
        content[i] = (byte) random.nextInt();
      }
    }
    return content;
  }
}
