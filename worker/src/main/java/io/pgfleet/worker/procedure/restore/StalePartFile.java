package io.pgfleet.worker.procedure.restore;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;

/**
 * A decoded archive ({@link PartFiles}) no live process holds: not this JVM's, not modified for
 * {@link #MIN_AGE}, and its fcntl lock free. A file of this JVM is never opened: closing any
 * descriptor of a file drops every lock the process holds on it.
 */
final class StalePartFile {
  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(StalePartFile.class);

  /** Younger than this, an unlocked file may be one being created: it is left alone. */
  static final Duration MIN_AGE = Duration.ofMinutes(1);

  private StalePartFile() {}

  /** Deletes {@code file} if it is stale; whether it was. */
  static boolean deleteIfStale(Path file) {
    return deleteIfStale(file, MIN_AGE);
  }

  /**
   * Deletes {@code file} if it is stale, counting it as young until {@code minAge}; whether it was.
   */
  static boolean deleteIfStale(Path file, Duration minAge) {
    if (PartFiles.ours(file)) {
      return false;
    }
    try {
      Instant modified = Files.getLastModifiedTime(file).toInstant();
      if (modified.isAfter(Instant.now().minus(minAge)) || !Files.isRegularFile(file)) {
        return false;
      }
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
        FileLock lock = channel.tryLock();
        if (lock == null) {
          return false; // a live drill of another process
        }
        Files.deleteIfExists(file);
        log.info("deleted {}, left by a drill or restore that did not finish", file);
        return true;
      }
    } catch (OverlappingFileLockException | NoSuchFileException e) {
      return false;
    } catch (IOException e) {
      log.warn("could not sweep {}: {}", file, e.getMessage());
      return false;
    }
  }
}
