package io.pgfleet.cli;

import io.pgfleet.local.Directories;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Temporary directories deleted when the test JVM exits: a launcher's classpath copy is 110 MB and
 * a fetched segment 16 MB, and a suite run again and again must not fill {@code /tmp}.
 */
final class TempDirs {
  private TempDirs() {}

  static Path create(String prefix) throws IOException {
    Path dir = Files.createTempDirectory(prefix);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir), prefix + "-delete"));
    return dir;
  }

  private static void delete(Path dir) {
    try {
      Directories.deleteTree(dir);
    } catch (UncheckedIOException e) {
      // a temp directory left behind is no test failure
    }
  }
}
