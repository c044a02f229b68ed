package io.pgfleet.worker.wal;

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

  static byte[] compress(byte[] content, int level) {
    return compress(content, level, frames(content.length));
  }

  static byte[] compress(byte[] content, int level, int frames) {
    List<WalSlice> slices = WalSlice.cover(content.length, frames);
    List<CompletableFuture<ZstdFrame>> others = new ArrayList<>();
    for (WalSlice slice : slices.subList(1, slices.size())) {
      others.add(PushWork.start(() -> ZstdFrame.of(content, slice, level)));
    }
    List<ZstdFrame> done = new ArrayList<>(List.of(ZstdFrame.of(content, slices.get(0), level)));
    others.forEach(other -> done.add(PushWork.await(other)));
    return ZstdFrame.concatenate(done);
  }

  /** {@link #MAX_FRAMES} frames, fewer for a small file (a slice of at least 1 MiB). */
  static int frames(int length) {
    return Math.max(1, Math.min(MAX_FRAMES, length / MIN_SLICE));
  }
}
