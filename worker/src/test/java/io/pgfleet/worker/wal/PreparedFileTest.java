package io.pgfleet.worker.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.Zstd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A WAL file read slice by slice while earlier slices are hashed and compressed gives the sha256 of
 * the whole file and frames that decompress to it, the same as from the content in memory.
 */
class PreparedFileTest {
  @Test
  void a_segment_read_in_slices_has_the_sha256_and_compressed_content_of_the_whole_file(
      @TempDir Path dir) throws Exception {
    byte[] content = new byte[16 * 1024 * 1024 + 7];
    Random random = new Random(3);
    for (int at = 0; at < content.length; at += 4096) {
      content[at] = (byte) random.nextInt(); // compressible, yet not the same in every slice
    }
    Path file = Files.write(dir.resolve("000000010000000000000001"), content);

    PreparedFile read = PreparedFile.read(file, 1);
    PreparedFile inMemory = PreparedFile.of(content, 1);

    assertThat(read.size()).isEqualTo(content.length);
    assertThat(read.sha256()).isEqualTo(WalArchive.sha256(content)).isEqualTo(inMemory.sha256());
    assertThat(Zstd.decompress(read.compressed(), content.length)).isEqualTo(content);
    assertThat(read.compressed()).isEqualTo(inMemory.compressed());
  }

  @Test
  void an_empty_file_is_prepared_and_a_missing_one_fails_with_its_name(@TempDir Path dir)
      throws Exception {
    Path empty = Files.write(dir.resolve("00000002.history"), new byte[0]);
    PreparedFile prepared = PreparedFile.read(empty, 1);
    assertThat(prepared.size()).isZero();
    assertThat(prepared.sha256()).isEqualTo(WalArchive.sha256(new byte[0]));
    assertThat(Zstd.decompress(prepared.compressed(), 0)).isEmpty();

    Path missing = dir.resolve("000000010000000000000009");
    assertThatThrownBy(() -> PreparedFile.read(missing, 1))
        .isInstanceOf(WalArchiveException.class)
        .hasMessageContaining(missing.toString());
  }

  @Test
  void an_error_while_slice_2_of_4_is_read_ends_the_hash_waiting_on_it_instead_of_holding_it()
      throws Exception {
    byte[] content = new byte[4 * 1024];
    List<WalSlice> slices = WalSlice.cover(content.length, 4);
    List<CompletableFuture<Void>> read = new ArrayList<>();
    slices.forEach(s -> read.add(new CompletableFuture<>()));
    CompletableFuture<String> hash = PushWork.start(() -> SliceHash.inOrder(content, slices, read));
    Error failure = new OutOfMemoryError("simulated: slice 2 of 4 could not be read");

    assertThatThrownBy(
            () ->
                PreparedFile.readInOrder(
                    slices,
                    read,
                    slice -> {
                      if (slice.equals(slices.get(2))) {
                        throw failure;
                      }
                    }))
        .isSameAs(failure);

    assertThat(slices).hasSize(4);
    assertThatThrownBy(() -> hash.get(10, TimeUnit.SECONDS))
        .as("the hash gives up at once instead of waiting for slice 2 forever")
        .isInstanceOf(ExecutionException.class)
        .hasRootCauseInstanceOf(OutOfMemoryError.class)
        .hasRootCauseMessage("simulated: slice 2 of 4 could not be read");
    assertThat(read.subList(0, 2)).allMatch(r -> !r.isCompletedExceptionally());
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void a_file_that_cannot_be_read_whole_fails_instead_of_leaving_the_hash_waiting(@TempDir Path dir)
      throws Exception {
    Path directory = Files.createDirectory(dir.resolve("000000010000000000000003"));
    assertThatThrownBy(() -> PreparedFile.read(directory, 1))
        .isInstanceOf(WalArchiveException.class)
        .hasMessageContaining(directory.toString());
  }
}
