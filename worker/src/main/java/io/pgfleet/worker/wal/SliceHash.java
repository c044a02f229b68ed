package io.pgfleet.worker.wal;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The sha256 of a file read slice by slice: each slice hashed, in order, as soon as it is read. */
final class SliceHash {
  private SliceHash() {}

  /** Waits for {@code read}'s i-th future before hashing the i-th slice. */
  static String inOrder(byte[] content, List<WalSlice> slices, List<CompletableFuture<Void>> read) {
    MessageDigest digest = WalArchive.sha256Digest();
    for (int i = 0; i < slices.size(); i++) {
      PushWork.await(read.get(i));
      digest.update(content, slices.get(i).offset(), slices.get(i).length());
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
