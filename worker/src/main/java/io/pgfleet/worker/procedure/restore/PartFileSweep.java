package io.pgfleet.worker.procedure.restore;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Deletes the decoded archives ({@link PartFiles}) that a drill which did not finish left in the
 * clear, each one checked by {@link StalePartFile}; run when the next drill starts. A download
 * ({@code pgfleet-restore-*.part}, of stored bytes, and a decoded archive of a worker older than
 * the {@code pgfleet-decoded-} prefix) holds no lock while a restore reads it, so it is swept only
 * once untouched for {@link #DOWNLOAD_MIN_AGE}, longer than a restore reads it; a reader that has
 * it open reads on after the unlink.
 */
final class PartFileSweep {
  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(PartFileSweep.class);

  static final String DOWNLOADS = "pgfleet-restore-*.part";

  static final Duration DOWNLOAD_MIN_AGE = Duration.ofDays(2);

  private PartFileSweep() {}

  /** Deletes the files in {@code dir} that no live process holds; how many. */
  static int sweep(Path dir) {
    if (dir == null || !Files.isDirectory(dir)) {
      return 0;
    }
    return sweep(dir, PartFiles.GLOB, StalePartFile.MIN_AGE)
        + sweep(dir, DOWNLOADS, DOWNLOAD_MIN_AGE);
  }

  private static int sweep(Path dir, String glob, Duration minAge) {
    int swept = 0;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, glob)) {
      for (Path file : files) {
        if (StalePartFile.deleteIfStale(file, minAge)) {
          swept++;
        }
      }
    } catch (IOException e) {
      log.warn("could not list {} for stale files: {}", dir, e.getMessage());
    }
    return swept;
  }
}
