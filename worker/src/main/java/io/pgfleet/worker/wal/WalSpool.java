package io.pgfleet.worker.wal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;

/**
 * A directory of markers for archive-push ahead of PostgreSQL: {@code <name>.ok} says that the WAL
 * file {@code name} is in the archive with the content PostgreSQL has. The {@code pgfleet} launcher
 * answers archive_command from a marker (removing it) without starting a JVM. A marker is written
 * only after the file is stored and never claims more: it is complete or absent. The spool belongs
 * to one server and one archive target, on local disk.
 */
public record WalSpool(Path dir) {
  static final String MARKER = ".ok";

  /** Records that {@code name} is in the archive: atomically, and durably before it is visible. */
  public void markArchived(WalFileName name) {
    Path marker = marker(name);
    Path partial = dir.resolve(name.value() + ".ok.partial");
    try {
      try (FileChannel channel =
          FileChannel.open(
              partial,
              StandardOpenOption.CREATE,
              StandardOpenOption.TRUNCATE_EXISTING,
              StandardOpenOption.WRITE)) {
        channel.force(true);
      }
      Files.move(partial, marker, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new WalArchiveException("cannot write " + marker + ": " + e.getMessage(), e);
    }
  }

  /** Removes {@code name}'s marker, if any: PostgreSQL has been told it is archived. */
  public void consume(WalFileName name) {
    try {
      Files.deleteIfExists(marker(name));
    } catch (IOException e) {
      throw new WalArchiveException("cannot remove " + marker(name) + ": " + e.getMessage(), e);
    }
  }

  public boolean isMarked(WalFileName name) {
    return Files.exists(marker(name));
  }

  Path marker(WalFileName name) {
    return dir.resolve(name.value() + MARKER);
  }

  /**
   * Up to {@code max} of the {@link ReadyFiles} not marked here yet: history files first, then
   * oldest first, the order PostgreSQL asks for them.
   */
  public List<WalFileName> ahead(Path walFile, int max) {
    List<WalFileName> ready = ReadyFiles.besides(walFile);
    return ready.stream()
        .filter(name -> !isMarked(name))
        .sorted(
            Comparator.comparing((WalFileName n) -> !n.value().endsWith(".history"))
                .thenComparing(WalFileName::value))
        .limit(max)
        .toList();
  }
}
