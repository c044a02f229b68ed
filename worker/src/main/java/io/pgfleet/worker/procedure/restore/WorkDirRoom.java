package io.pgfleet.worker.procedure.restore;

import io.pgfleet.commands.result.ErrorCode;
import io.pgfleet.worker.config.BackupSettings;
import io.pgfleet.worker.failure.ProcedureFailure;
import io.pgfleet.worker.procedure.WorkDirSpace;

/**
 * The free space a drill with jobs needs in {@code backup.workDir} before it decodes an archive
 * there ({@link DecodedSize}), keeping {@code backup.keepFreeMb} free: a full disk fails the drill
 * up front, with what to do about it, not halfway through the download.
 */
final class WorkDirRoom {
  private WorkDirRoom() {}

  /**
   * Whether {@code backup.workDir} has room for the decoded archive and keepFreeMb now; false too
   * when the directory is not usable.
   */
  static boolean has(long decoded, BackupSettings settings) {
    try {
      return WorkDirSpace.usable(settings) >= decoded + settings.keepFreeBytes();
    } catch (ProcedureFailure e) {
      return false;
    }
  }

  /** Fails unless {@code backup.workDir} has room for the decoded archive and keepFreeMb. */
  static void require(String uri, long decoded, BackupSettings settings) throws ProcedureFailure {
    long needed = decoded + settings.keepFreeBytes();
    long free = WorkDirSpace.usable(settings);
    if (free < needed) {
      throw new ProcedureFailure(
          ErrorCode.INSUFFICIENT_DISK,
          "a drill with jobs decodes "
              + uri
              + " into "
              + settings.workDir()
              + " first, which needs at least "
              + (needed >> 20)
              + " MiB free (the decoded archive plus backup.keepFreeMb), but "
              + (free >> 20)
              + " MiB are free: free disk space, point backup.workDir at a larger disk, or drill"
              + " without jobs (it streams, no local copy)");
    }
  }
}
