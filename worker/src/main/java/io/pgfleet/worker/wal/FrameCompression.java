package io.pgfleet.worker.wal;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * zstd of a WAL file on every core: the file is cut into one slice per core (at most {@link
 * #MAX_FRAMES}), each slice compressed on a thread of its own as a zstd frame, and the frames
 * concatenated. Concatenated frames are one valid zstd stream: {@code Zstd.decompress}, {@code
 * ZstdInputStream} and {@code zstd -d} read them as the whole file. A slice restarts zstd's window,
 * which costs under 1% of the size on WAL.
 */
final class FrameCompression {
  static final int MAX_FRAMES = 4;
  private static final int MIN_SLICE = 1 << 20;

  private FrameCompression() {}

  static byte[] compress(byte[] content, int level) {
    return compress(content, level, frames(content.length));
  }

  static byte[] compress(byte[] content, int level, int frames) {
    int slice = (int) Math.ceil(content.length / (double) Math.max(1, frames));
    List<CompletableFuture<Frame>> others = new ArrayList<>();
    for (int from = slice; from < content.length; from += slice) {
      int offset = from;
      int length = Math.min(slice, content.length - from);
      others.add(PushWork.start(() -> frame(content, offset, length, level)));
    }
    Frame first = frame(content, 0, Math.min(slice, content.length), level);
    List<Frame> parts = new ArrayList<>(List.of(first));
    for (CompletableFuture<Frame> other : others) {
      parts.add(PushWork.await(other));
    }
    return concatenate(parts);
  }

  /** One frame per core, fewer for a small file (a slice of at least 1 MiB). */
  static int frames(int length) {
    int cores = Runtime.getRuntime().availableProcessors();
    return Math.max(1, Math.min(Math.min(cores, MAX_FRAMES), length / MIN_SLICE));
  }

  private record Frame(byte[] buffer, int size) {}

  private static Frame frame(byte[] content, int offset, int length, int level) {
    byte[] buffer = new byte[(int) Zstd.compressBound(length)];
    long size = Zstd.compressByteArray(buffer, 0, buffer.length, content, offset, length, level);
    if (Zstd.isError(size)) {
      throw new ZstdException(size);
    }
    return new Frame(buffer, (int) size);
  }

  private static byte[] concatenate(List<Frame> frames) {
    byte[] all = new byte[frames.stream().mapToInt(Frame::size).sum()];
    int at = 0;
    for (Frame frame : frames) {
      System.arraycopy(frame.buffer(), 0, all, at, frame.size());
      at += frame.size();
    }
    return all;
  }
}
