package io.pgfleet.worker.storage;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Part-sized buffers that a finished upload leaves for the next one. A part buffer is larger than
 * half a G1 region, so each is a humongous object: allocated anew by every backup, the last
 * backup's buffers are still garbage in their regions when the next one asks for contiguous free
 * regions, and the JVM grows its heap (and so its resident memory) instead of collecting. Kept, the
 * same few buffers serve every upload, whatever its size.
 */
final class PartBuffers {
  private final int partSize;
  private final BlockingQueue<byte[]> kept;

  PartBuffers(int partSize, int keep) {
    this.partSize = partSize;
    this.kept = new ArrayBlockingQueue<>(keep);
  }

  int partSize() {
    return partSize;
  }

  /** A kept buffer, or a new one when none is left (uploads running side by side). */
  byte[] take() {
    byte[] b = kept.poll();
    return b != null ? b : new byte[partSize];
  }

  /** Keeps {@code buffer} for a later upload, unless enough are kept already. */
  void give(byte[] buffer) {
    if (buffer.length == partSize) {
      kept.offer(buffer);
    }
  }
}
