package io.pgfleet.worker.wal;

import io.pgfleet.worker.storage.StorageErrors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** WAL files on the server's disk: read whole to push, written complete-or-absent on fetch. */
final class WalFiles {
  private WalFiles() {}

  static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new WalArchiveException("cannot read " + file + ": " + StorageErrors.describe(e), e);
    }
  }

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
      throw new WalArchiveException(
          "cannot write " + destination + ": " + StorageErrors.describe(e), e);
    }
  }
}
