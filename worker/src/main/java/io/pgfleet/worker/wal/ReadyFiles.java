package io.pgfleet.worker.wal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The WAL files PostgreSQL has marked ready to archive: {@code archive_status/<name>.ready}. */
public final class ReadyFiles {
  private static final String READY = ".ready";

  private ReadyFiles() {}

  /**
   * The files marked ready in the {@code archive_status} beside {@code walFile}, other than {@code
   * walFile} itself, in no order; none when {@code walFile} is not in a pg_wal directory or it
   * cannot be read (pushing ahead is an optimisation: PostgreSQL still asks for each file).
   */
  static List<WalFileName> besides(Path walFile) {
    Path parent = walFile.toAbsolutePath().getParent();
    String self = walFile.getFileName().toString();
    return parent == null
        ? List.of()
        : in(parent).stream().filter(name -> !name.value().equals(self)).toList();
  }

  /**
   * Every file marked ready in {@code pgWal/archive_status} whose name is a WAL file name (others
   * are ignored), in no order; none when the directory cannot be read.
   */
  public static List<WalFileName> in(Path pgWal) {
    Path status = pgWal.resolve("archive_status");
    if (!Files.isDirectory(status)) {
      return List.of();
    }
    List<WalFileName> ready = new ArrayList<>();
    try (Stream<Path> files = Files.list(status)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        String file = p.getFileName().toString();
        if (file.endsWith(READY)) {
          String name = file.substring(0, file.length() - READY.length());
          if (WalFileName.isValid(name)) {
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
