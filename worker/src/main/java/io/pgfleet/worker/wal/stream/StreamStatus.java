package io.pgfleet.worker.wal.stream;

import io.pgfleet.worker.wal.WalFileName;
import java.util.concurrent.atomic.AtomicReference;

/** How far a target's stream has got, for the lease heartbeat, metrics and logs. */
final class StreamStatus {
  private final AtomicReference<String> archivedLsn = new AtomicReference<>();
  private volatile WalFileName lastSegment;
  private volatile WalFileName lastPartial;

  void archived(WalFileName segment, long endLsn) {
    lastSegment = segment;
    archivedLsn.set(lsn(endLsn));
  }

  void partial(WalFileName segment, long position) {
    lastPartial = segment;
  }

  /** The LSN up to which complete segments are archived (e.g. {@code 0/3000000}), or null. */
  String archivedLsn() {
    return archivedLsn.get();
  }

  WalFileName lastSegment() {
    return lastSegment;
  }

  WalFileName lastPartial() {
    return lastPartial;
  }

  static String lsn(long value) {
    return String.format("%X/%X", value >>> 32, value & 0xFFFFFFFFL);
  }
}
