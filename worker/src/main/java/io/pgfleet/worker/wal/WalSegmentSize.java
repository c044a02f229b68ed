package io.pgfleet.worker.wal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A complete WAL segment is exactly as long as its cluster's segment size, a power of two from 1
 * MiB to 1 GiB ({@code initdb --wal-segsize}). A segment of any other length (empty, or cut short
 * by a crash or a full disk) is refused before it is pushed: once archived it could never be
 * replaced, and recovery would fail on it far from the cause.
 */
public final class WalSegmentSize {
  static final long MIN = 1L << 20;
  static final long MAX = 1L << 30;

  private WalSegmentSize() {}

  public static boolean isValid(long size) {
    return size >= MIN && size <= MAX && Long.bitCount(size) == 1;
  }

  /**
   * Refuses {@code file} with a {@link WalArchiveException} when its name is a complete segment's
   * (24 hex digits, not a {@code .partial}, {@code .history} or {@code .backup} file) and its size
   * is not a WAL segment size. A file that cannot be read is left to the push to report.
   */
  public static void check(Path file) {
    String name = file.getFileName().toString();
    if (!WalFileName.isValid(name) || !new WalFileName(name).isSegment()) {
      return;
    }
    long size;
    try {
      size = Files.size(file);
    } catch (IOException e) {
      return; // missing or unreadable: the push says so
    }
    if (!isValid(size)) {
      throw new WalArchiveException(
          file
              + " is "
              + size
              + " bytes, not a WAL segment size (a power of two from 1 MiB to 1 GiB): it is empty"
              + " or cut short and is not archived; PostgreSQL keeps it and retries");
    }
  }
}
