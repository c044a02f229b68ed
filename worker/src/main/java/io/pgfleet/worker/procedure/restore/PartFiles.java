package io.pgfleet.worker.procedure.restore;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The drill's decoded archives ({@code pgfleet-decoded-*.part} in {@code backup.workDir}, plaintext
 * for as long as a drill runs): each is created locked (an fcntl lock, which the kernel drops when
 * its process dies), so one left by a crashed worker is told from one in use, by this worker or by
 * another on the same disk, and swept when the next drill starts ({@link PartFileSweep}). Their
 * prefix is their own: the downloads' {@code pgfleet-restore-*.part} are not locked, so a sweep
 * cannot tell a live one from a stale one by its lock, only by its age.
 */
final class PartFiles {
  /** The start of a decoded archive's name; {@link #GLOB} matches these files only. */
  static final String PREFIX = "pgfleet-decoded-";

  static final String GLOB = PREFIX + "*.part";

  private static final Set<Path> OURS = ConcurrentHashMap.newKeySet();

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
    Path file = BackupReader.privateFile(dir, PREFIX);
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

  /** Whether {@code file} is one of this JVM's: never to be opened by the sweep. */
  static boolean ours(Path file) {
    return OURS.contains(file.toAbsolutePath());
  }
}
