package io.pgfleet.worker.wal.stream;

import io.pgfleet.worker.wal.WalFileName;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Puts streamed WAL bytes together into segments. Streaming starts at a segment boundary, so each
 * segment is whole from its first byte; the one in progress is zero-padded to the segment size,
 * like a {@code .partial} segment of pg_receivewal.
 */
final class SegmentAssembler {
  /** A segment: its name and its bytes (whole, or zero-padded while in progress). */
  record Segment(WalFileName name, byte[] bytes, long endLsn) {}

  private final String timeline;
  private final long segmentSize;
  private final long segmentsPerLog;
  private long number;
  private byte[] bytes;
  private int filled;

  SegmentAssembler(int timeline, long segmentSize, long startLsn) {
    if (startLsn % segmentSize != 0) {
      throw new IllegalArgumentException("streaming must start at a segment boundary");
    }
    this.timeline = String.format("%08X", timeline);
    this.segmentSize = segmentSize;
    this.segmentsPerLog = 0x1_0000_0000L / segmentSize;
    this.number = startLsn / segmentSize;
    this.bytes = new byte[(int) segmentSize];
  }

  /** The LSN the next byte must carry. */
  long position() {
    return number * segmentSize + filled;
  }

  /** Adds the bytes of a message starting at {@code lsn}; returns the segments it completed. */
  List<Segment> write(long lsn, ByteBuffer data) {
    if (lsn != position()) {
      throw new IllegalStateException(
          "WAL arrived at " + lsn + " where " + position() + " was expected");
    }
    List<Segment> completed = new ArrayList<>();
    while (data.hasRemaining()) {
      int n = (int) Math.min(data.remaining(), segmentSize - filled);
      data.get(bytes, filled, n);
      filled += n;
      if (filled == segmentSize) {
        completed.add(new Segment(name(number), bytes, position()));
        number++;
        bytes = new byte[(int) segmentSize];
        filled = 0;
      }
    }
    return completed;
  }

  /** The segment in progress (zero-padded), or null when it holds no byte yet. */
  Segment inProgress() {
    return filled == 0 ? null : new Segment(name(number), bytes, position());
  }

  private WalFileName name(long n) {
    return new WalFileName(
        String.format("%s%08X%08X", timeline, n / segmentsPerLog, n % segmentsPerLog));
  }
}
