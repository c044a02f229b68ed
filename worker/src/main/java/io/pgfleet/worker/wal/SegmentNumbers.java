package io.pgfleet.worker.wal;

/**
 * The numbering of WAL segments on a timeline: a segment file's number, the file name of a number,
 * the segment holding an LSN. Assumes the default 16 MiB WAL segments (256 per log id).
 */
public final class SegmentNumbers {
  private static final long SEGMENTS_PER_LOG = 0x100;

  private SegmentNumbers() {}

  /** The segment holding {@code lsn} ({@code 0/3000060}) on timeline {@code tli}. */
  public static String segmentOf(int tli, String lsn) {
    String[] parts = lsn.split("/");
    long position = (Long.parseLong(parts[0], 16) << 32) | Long.parseLong(parts[1], 16);
    return name(String.format("%08X", tli), position / (16L * 1024 * 1024));
  }

  static long number(WalFileName f) {
    String v = f.value();
    return Long.parseLong(v.substring(8, 16), 16) * SEGMENTS_PER_LOG
        + Long.parseLong(v.substring(16, 24), 16);
  }

  static String name(String tli, long number) {
    return String.format("%s%08X%08X", tli, number / SEGMENTS_PER_LOG, number % SEGMENTS_PER_LOG);
  }
}
