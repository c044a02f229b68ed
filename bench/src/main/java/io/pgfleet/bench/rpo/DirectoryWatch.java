package io.pgfleet.bench.rpo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** The baseline's archive: the directory archive_command copies complete segments into. */
final class DirectoryWatch extends ArchiveWatch {
  private final Path dir;

  DirectoryWatch(Path dir) {
    super("archive-command");
    this.dir = dir;
  }

  @Override
  void poll(long now) throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      files
          .map(f -> f.getFileName().toString())
          .filter(n -> n.matches("[0-9A-F]{24}"))
          .forEach(n -> segmentSeen(n, now));
    }
  }
}
