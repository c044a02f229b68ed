package io.pgfleet.worker.wal;

import java.util.ArrayList;
import java.util.List;

/** A part of a WAL file's content that is read, hashed and compressed as one zstd frame. */
record WalSlice(int offset, int length) {

  /** {@code frames} slices covering {@code length} bytes in order; one empty slice when empty. */
  static List<WalSlice> cover(int length, int frames) {
    int size = (int) Math.ceil(length / (double) Math.max(1, frames));
    List<WalSlice> slices = new ArrayList<>();
    for (int from = 0; from < length; from += size) {
      slices.add(new WalSlice(from, Math.min(size, length - from)));
    }
    return slices.isEmpty() ? List.of(new WalSlice(0, 0)) : slices;
  }
}
