package io.pgfleet.worker.wal;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdException;
import java.util.List;

/**
 * One slice compressed as a zstd frame of its own: the first {@code size} bytes of {@code buffer}.
 */
record ZstdFrame(byte[] buffer, int size) {

  static ZstdFrame of(byte[] content, WalSlice slice, int level) {
    byte[] buffer = new byte[(int) Zstd.compressBound(slice.length())];
    long size =
        Zstd.compressByteArray(
            buffer, 0, buffer.length, content, slice.offset(), slice.length(), level);
    if (Zstd.isError(size)) {
      throw new ZstdException(size);
    }
    return new ZstdFrame(buffer, (int) size);
  }

  /** The frames one after another: one valid zstd stream of the whole content. */
  static byte[] concatenate(List<ZstdFrame> frames) {
    byte[] all = new byte[frames.stream().mapToInt(ZstdFrame::size).sum()];
    int at = 0;
    for (ZstdFrame frame : frames) {
      System.arraycopy(frame.buffer(), 0, all, at, frame.size());
      at += frame.size();
    }
    return all;
  }
}
