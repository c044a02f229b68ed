package io.pgfleet.worker.wal;

import io.pgfleet.worker.storage.StorageErrors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** WAL files on the server's disk: written complete-or-absent on fetch. */
final class WalFiles {
  private WalFiles() {}

  static void writeAtomically(Path destination, byte[] content) {
    Path partial = destination.resolveSibling(destination.getFileName() + ".pgfleet-partial");
    try {
      Files.write(partial, content);
      Files.move(
          partial,
          destination,
          StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      try {
        Files.deleteIfExists(partial); // a full disk must not keep up to a segment of it
      } catch (IOException ignored) {
        // the write's own failure is the one to report
      }
      throw new WalArchiveException(
          "cannot write " + destination + ": " + StorageErrors.describe(e), e);
    }
  }
}
