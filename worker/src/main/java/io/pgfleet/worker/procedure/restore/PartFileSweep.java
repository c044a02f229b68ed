package io.pgfleet.worker.procedure.restore;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Deletes the decoded archives ({@link PartFiles}) that a drill which did not finish left in the
 * clear, each one checked by {@link StalePartFile}; run when the next drill starts.
 */
final class PartFileSweep {
  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(PartFileSweep.class);

  private PartFileSweep() {}

  /** Deletes the files in {@code dir} that no live process holds; how many. */
  static int sweep(Path dir) {
    int swept = 0;
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, PartFiles.GLOB)) {
      for (Path file : files) {
        if (StalePartFile.deleteIfStale(file)) {
          swept++;
        }
      }
    } catch (IOException e) {
      log.warn("could not list {} for stale decoded archives: {}", dir, e.getMessage());
    }
    return swept;
  }
}
