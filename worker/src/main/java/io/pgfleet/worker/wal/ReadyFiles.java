package io.pgfleet.worker.wal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The WAL files PostgreSQL has marked ready to archive: {@code archive_status/<name>.ready}. */
final class ReadyFiles {
  private static final String READY = ".ready";

  private ReadyFiles() {}

  /**
   * The files marked ready in the {@code archive_status} beside {@code walFile}, other than {@code
   * walFile} itself, in no order; none when {@code walFile} is not in a pg_wal directory or it
   * cannot be read (pushing ahead is an optimisation: PostgreSQL still asks for each file).
   */
  static List<WalFileName> besides(Path walFile) {
    Path parent = walFile.toAbsolutePath().getParent();
    Path status = parent == null ? null : parent.resolve("archive_status");
    if (status == null || !Files.isDirectory(status)) {
      return List.of();
    }
    String self = walFile.getFileName().toString();
    List<WalFileName> ready = new ArrayList<>();
    try (Stream<Path> files = Files.list(status)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        String file = p.getFileName().toString();
        if (file.endsWith(READY)) {
          String name = file.substring(0, file.length() - READY.length());
          if (!name.equals(self) && WalFileName.isValid(name)) {
            ready.add(new WalFileName(name));
          }
        }
      }
    } catch (IOException e) {
      return List.of();
    }
    return ready;
  }
}
