package io.pgfleet.worker.procedure;

import io.pgfleet.commands.result.ErrorCode;
import io.pgfleet.worker.config.BackupSettings;
import io.pgfleet.worker.failure.ProcedureFailure;
import java.io.IOException;
import java.nio.file.Files;

/** The usable space in {@code backup.workDir}, which local dumps and decoded archives fill. */
public final class WorkDirSpace {
  private WorkDirSpace() {}

  /** Bytes usable in {@code backup.workDir}, created if missing; INSUFFICIENT_DISK if unusable. */
  public static long usable(BackupSettings settings) throws ProcedureFailure {
    try {
      Files.createDirectories(settings.workDir());
      return Files.getFileStore(settings.workDir()).getUsableSpace();
    } catch (IOException e) {
      throw new ProcedureFailure(
          ErrorCode.INSUFFICIENT_DISK,
          "backup.workDir "
              + settings.workDir()
              + " is not usable: "
              + e.getMessage()
              + "; point it at a writable directory",
          e);
    }
  }
}
