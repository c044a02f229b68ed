package io.pgfleet.worker.wal;

import io.pgfleet.worker.storage.StorageErrors;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A WAL file ready to PUT: its size, the sha256 of its content and the content zstd-compressed as
 * {@link FrameCompression} frames. Read from disk, it is read slice by slice, and each slice is
 * compressed and hashed while the next one is read, so that reading, hashing and compressing share
 * the cores instead of following one another.
 */
record PreparedFile(int size, String sha256, byte[] compressed) {

  /** The sha256 on one thread beside the compression of the frames on the others. */
  static PreparedFile of(byte[] content, int level) {
    CompletableFuture<String> hash = PushWork.start(() -> WalArchive.sha256(content));
    byte[] compressed = FrameCompression.compress(content, level);
    return new PreparedFile(content.length, PushWork.await(hash), compressed);
  }

  static PreparedFile read(Path file, int level) {
    try (FileChannel channel = FileChannel.open(file)) {
      long length = channel.size();
      if (length > Integer.MAX_VALUE - 1024) {
        throw new WalArchiveException(file + " is too large to be a WAL file (" + length + " B)");
      }
      byte[] content = new byte[(int) length];
      List<WalSlice> slices =
          WalSlice.cover(content.length, FrameCompression.frames(content.length));
      List<CompletableFuture<Void>> read = new ArrayList<>();
      slices.forEach(s -> read.add(new CompletableFuture<>()));
      CompletableFuture<String> hash =
          PushWork.start(() -> SliceHash.inOrder(content, slices, read));
      List<CompletableFuture<ZstdFrame>> frames = new ArrayList<>();
      for (int i = 0; i < slices.size(); i++) {
        WalSlice slice = slices.get(i);
        frames.add(
            read.get(i)
                .thenCompose(done -> PushWork.start(() -> ZstdFrame.of(content, slice, level))));
      }
      readInOrder(slices, read, slice -> readFully(channel, content, slice, file));
      if (channel.size() != length) {
        throw new WalArchiveException(file + " changed size while it was read");
      }
      List<ZstdFrame> compressed = new ArrayList<>();
      frames.forEach(f -> compressed.add(PushWork.await(f)));
      return new PreparedFile(
          content.length, PushWork.await(hash), ZstdFrame.concatenate(compressed));
    } catch (IOException e) {
      throw new WalArchiveException("cannot read " + file + ": " + StorageErrors.describe(e), e);
    }
  }

  /** Reads one slice of the file into its content. */
  interface SliceReader {
    void read(WalSlice slice) throws IOException;
  }

  /**
   * Reads the slices in order, completing {@code read}'s i-th future once the i-th slice is in.
   * Whatever stops the reading, an {@link Error} too, fails every future not complete: the hash and
   * frames waiting on them give up instead of holding a thread forever (one more per failure in the
   * resident agent).
   */
  static void readInOrder(
      List<WalSlice> slices, List<CompletableFuture<Void>> read, SliceReader reader)
      throws IOException {
    try {
      for (int i = 0; i < slices.size(); i++) {
        reader.read(slices.get(i));
        read.get(i).complete(null);
      }
    } catch (Throwable e) {
      read.forEach(r -> r.completeExceptionally(e));
      throw e;
    }
  }

  private static void readFully(FileChannel channel, byte[] content, WalSlice slice, Path file)
      throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(content, slice.offset(), slice.length());
    while (buffer.hasRemaining()) {
      if (channel.read(buffer, buffer.position()) < 0) {
        throw new EOFException(file + " ended before its " + content.length + " bytes");
      }
    }
  }
}
