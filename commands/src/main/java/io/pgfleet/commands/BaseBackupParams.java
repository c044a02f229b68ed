package io.pgfleet.commands;

import java.util.Set;

/**
 * Parameters of a physical base backup (pg_basebackup, tar format, WAL included), the start of
 * point-in-time recovery.
 *
 * @param checkpoint {@code fast} (default: start now, at the cost of an I/O burst) or {@code
 *     spread}
 */
public record BaseBackupParams(String checkpoint) implements OperationParams {
  public static final String FAST = "fast";
  public static final String SPREAD = "spread";

  public BaseBackupParams {
    checkpoint = checkpoint == null ? FAST : checkpoint;
    if (!Set.of(FAST, SPREAD).contains(checkpoint)) {
      throw new IllegalArgumentException("checkpoint must be fast or spread, not " + checkpoint);
    }
  }

  public static BaseBackupParams defaults() {
    return new BaseBackupParams(null);
  }
}
