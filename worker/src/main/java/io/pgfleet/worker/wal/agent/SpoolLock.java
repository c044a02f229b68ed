package io.pgfleet.worker.wal.agent;

import io.pgfleet.runtime.config.ConfigException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * {@code <spool>/agent.lock}, locked while an agent serves the spool: two agents of one cluster
 * would each clear the other's markers and both push every file. The operating system drops the
 * lock when the process ends, however it ends.
 */
final class SpoolLock implements AutoCloseable {
  static final String FILE = "agent.lock";

  private final FileChannel channel;
  private final FileLock lock;

  private SpoolLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  static SpoolLock take(Path dir) {
    Path file = dir.resolve(FILE);
    FileChannel channel = null;
    try {
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = tryLock(channel);
      if (lock != null) {
        return new SpoolLock(channel, lock);
      }
      channel.close();
      throw new ConfigException(
          "--spool "
              + dir
              + " is already served by another wal-agent (it holds "
              + file
              + "): run one agent per server, and stop the other before starting this one");
    } catch (IOException e) {
      closeQuietly(channel);
      throw new ConfigException("cannot lock " + file + ": " + e.getMessage());
    }
  }

  private static FileLock tryLock(FileChannel channel) throws IOException {
    try {
      return channel.tryLock();
    } catch (OverlappingFileLockException heldInThisJvm) {
      return null;
    }
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // nothing was locked
      }
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      // closing the channel releases the lock; the process ending does too
    }
  }
}
