package io.pgfleet.worker.wal;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * zstd of a WAL file on every core: the file is cut into slices (4 MiB of a 16 MiB segment), each
 * slice compressed on a thread of its own as a zstd frame, and the frames concatenated.
 * Concatenated frames are one valid zstd stream: {@code Zstd.decompress}, {@code ZstdInputStream}
 * and {@code zstd -d} read them as the whole file. A frame restarts zstd's window (512 KiB at level
 * 1), which costs a few bytes per frame.
 */
final class FrameCompression {
  static final int MAX_FRAMES = 4;
  private static final int MIN_SLICE = 1 << 20;

  private FrameCompression() {}

  record Frame(byte[] buffer, int size) {}

  static byte[] compress(byte[] content, int level) {
    return compress(content, level, frames(content.length));
  }

  static byte[] compress(byte[] content, int level, int frames) {
    List<WalSlice> slices = WalSlice.cover(content.length, frames);
    List<CompletableFuture<Frame>> others = new ArrayList<>();
    for (WalSlice slice : slices.subList(1, slices.size())) {
      others.add(PushWork.start(() -> frame(content, slice, level)));
    }
    List<Frame> done = new ArrayList<>(List.of(frame(content, slices.get(0), level)));
    others.forEach(other -> done.add(PushWork.await(other)));
    return concatenate(done);
  }

  /** {@link #MAX_FRAMES} frames, fewer for a small file (a slice of at least 1 MiB). */
  static int frames(int length) {
    return Math.max(1, Math.min(MAX_FRAMES, length / MIN_SLICE));
  }

  static Frame frame(byte[] content, WalSlice slice, int level) {
    byte[] buffer = new byte[(int) Zstd.compressBound(slice.length())];
    long size =
        Zstd.compressByteArray(
            buffer, 0, buffer.length, content, slice.offset(), slice.length(), level);
    if (Zstd.isError(size)) {
      throw new ZstdException(size);
    }
    return new Frame(buffer, (int) size);
  }

  static byte[] concatenate(List<Frame> frames) {
    byte[] all = new byte[frames.stream().mapToInt(Frame::size).sum()];
    int at = 0;
    for (Frame frame : frames) {
      System.arraycopy(frame.buffer(), 0, all, at, frame.size());
      at += frame.size();
    }
    return all;
  }
}
