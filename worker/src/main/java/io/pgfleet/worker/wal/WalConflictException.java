package io.pgfleet.worker.wal;

/**
 * A file of this name is already archived with different content: two servers archive to the same
 * target, or a restored server was promoted without a new timeline. Never overwritten.
 */
public final class WalConflictException extends WalArchiveException {
  public WalConflictException(String message) {
    super(message);
  }
}
