package io.pgfleet.worker.procedure.restore;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The drill's decoded archives ({@code pgfleet-restore-*.part} in {@code backup.workDir}, plaintext
 * for as long as a drill runs): each is created locked (an fcntl lock, which the kernel drops when
 * its process dies), so one left by a crashed worker is told from one in use, by this worker or by
 * another on the same disk, and swept when the next drill starts. A file of this JVM is never
 * opened by the sweep: closing any descriptor of a file drops every lock the process holds on it.
 */
final class PartFiles {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(PartFiles.class);
  private static final Set<Path> OURS = ConcurrentHashMap.newKeySet();

  /** Younger than this, an unlocked file may be one being created: it is left alone. */
  static final Duration MIN_AGE = Duration.ofMinutes(1);

  /** A private, locked file; closing deletes it and drops the lock. */
  record Held(Path path, FileChannel channel) implements AutoCloseable {
    @Override
    public void close() {
      BackupReader.deleteQuietly(path);
      try {
        channel.close();
      } catch (IOException ignored) {
        // the file is gone; the lock goes with the descriptor
      } finally {
        OURS.remove(path.toAbsolutePath());
      }
    }
  }

  private PartFiles() {}

  static Held create(Path dir) throws IOException {
    Path file = BackupReader.privateFile(dir);
    OURS.add(file.toAbsolutePath());
    FileChannel channel = null;
    try {
      channel = FileChannel.open(file, StandardOpenOption.WRITE);
      if (channel.tryLock() == null) {
        throw new IOException("another process locked " + file + " as it was created");
      }
      return new Held(file, channel);
    } catch (IOException | RuntimeException e) {
      if (channel != null) {
        channel.close();
      }
      BackupReader.deleteQuietly(file);
      OURS.remove(file.toAbsolutePath());
      throw e;
    }
  }

  /** Deletes the files in {@code dir} that no live process holds; how many. */
  static int sweep(Path dir) {
    int swept = 0;
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "pgfleet-restore-*.part")) {
      for (Path file : files) {
        if (stale(file)) {
          swept++;
        }
      }
    } catch (IOException e) {
      log.warn("could not list {} for stale decoded archives: {}", dir, e.getMessage());
    }
    return swept;
  }

  private static boolean stale(Path file) {
    if (OURS.contains(file.toAbsolutePath())) {
      return false;
    }
    try {
      Instant modified = Files.getLastModifiedTime(file).toInstant();
      if (modified.isAfter(Instant.now().minus(MIN_AGE)) || !Files.isRegularFile(file)) {
        return false;
      }
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
        FileLock lock = channel.tryLock();
        if (lock == null) {
          return false; // a live drill of another process
        }
        Files.deleteIfExists(file);
        log.info("deleted {}, the decoded archive of a drill that did not finish", file);
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
