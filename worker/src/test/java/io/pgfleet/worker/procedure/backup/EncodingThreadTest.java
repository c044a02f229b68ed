package io.pgfleet.worker.procedure.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class EncodingThreadTest {
  @Test
  void bytes_and_cuts_reach_the_encoding_in_the_order_they_were_written_and_progress_counts_them()
      throws Exception {
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    List<String> cuts = new ArrayList<>();
    List<Long> unstored = new ArrayList<>();
    long[] lastReported = {0};
    byte[] data = new byte[3 * EncodingThread.CHUNK + 5];
    new Random(3).nextBytes(data);
    List<Integer> cutAt = List.of(0, 10, EncodingThread.CHUNK, 2 * EncodingThread.CHUNK + 17);

    try (EncodingThread encoder =
        new EncodingThread(
            sink,
            offset -> cuts.add(offset + "@" + sink.size()),
            n -> {
              unstored.add(n - sink.size());
              lastReported[0] = n;
            },
            "test")) {
      int written = 0;
      for (int at : cutAt) {
        encoder.write(data, written, at - written);
        written = at;
        encoder.cut(at);
      }
      encoder.write(data, written, data.length - written);
    }

    assertThat(sink.toByteArray()).isEqualTo(data);
    // each cut ran when exactly the bytes before it had reached the encoding
    assertThat(cuts).containsExactlyElementsOf(cutAt.stream().map(at -> at + "@" + at).toList());
    // progress is what the sink has taken, never what only waits in the queue
    assertThat(unstored).isNotEmpty().containsOnly(0L);
    assertThat(lastReported[0]).isEqualTo(data.length);
  }

  @Test
  @Timeout(20)
  void a_failing_encoding_fails_the_writer_instead_of_blocking_it() {
    OutputStream broken =
        new OutputStream() {
          @Override
          public void write(int b) throws IOException {
            throw new IOException("the store went away");
          }

          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            throw new IOException("the store went away");
          }
        };
    byte[] chunk = new byte[EncodingThread.CHUNK];

    assertThatThrownBy(
            () -> {
              try (EncodingThread encoder =
                  new EncodingThread(broken, offset -> {}, n -> {}, "test")) {
                for (int i = 0; i < 10 * EncodingThread.QUEUED; i++) {
                  encoder.write(chunk, 0, chunk.length);
                }
              }
            })
        .isInstanceOf(IOException.class)
        .hasMessageContaining("the store went away");
  }

  @Test
  @Timeout(20)
  void an_error_in_the_encoding_fails_the_close_instead_of_passing_for_a_finished_archive() {
    OutputStream outOfMemory =
        new OutputStream() {
          @Override
          public void write(int b) {
            throw new OutOfMemoryError("no room for another part");
          }

          @Override
          public void write(byte[] b, int off, int len) {
            throw new OutOfMemoryError("no room for another part");
          }
        };

    assertThatThrownBy(
            () -> {
              try (EncodingThread encoder =
                  new EncodingThread(outOfMemory, offset -> {}, n -> {}, "test")) {
                encoder.write(new byte[10], 0, 10);
              }
            })
        .isInstanceOf(IOException.class)
        .hasMessageContaining("no room for another part");
  }
}
