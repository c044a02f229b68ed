package io.pgfleet.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where a local cluster keeps its files: a home directory owned by the server user holding the data
 * directory and the server log, and a unix socket directory with a short path (socket paths are
 * limited to about 107 characters).
 */
record PostgresDirectories(Path home, Path socketDir) {

  /**
   * Creates the directories for a cluster under {@code dir}. When the server runs as another user
   * (the JVM is root), every directory above the home must be traversable by it: inside {@code dir}
   * and the temp directory that is granted (o+x, no listing); elsewhere, say below /root, it is
   * not, and the home goes to a fresh directory under the temp directory instead.
   */
  static PostgresDirectories create(Path dir, ServerUser serverUser) {
    Path tmp = tempRoot();
    boolean reachable =
        serverUser.reach(dir, ancestor -> ancestor.startsWith(dir) || ancestor.startsWith(tmp));
    Path home =
        reachable
            ? Directories.create(dir.resolve("postgres"))
            : createTempDir(tmp, "pgfleet-postgres-");
    Path socketDir = createTempDir(tmp, "pgfleet-pg-");
    serverUser.own(home);
    serverUser.own(socketDir);
    return new PostgresDirectories(home, socketDir);
  }

  Path dataDir() {
    return home.resolve("data");
  }

  Path logFile() {
    return home.resolve("server.log");
  }

  /** The last {@code lines} lines of the server log, for error messages. */
  String logTail(int lines) {
    try {
      List<String> all = Files.readAllLines(logFile(), StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no server log: " + e.getMessage() + ")";
    }
  }

  void delete() {
    Directories.deleteTree(socketDir);
    Directories.deleteTree(home);
  }

  /** /tmp rather than java.io.tmpdir when it exists: unix socket paths must stay short. */
  private static Path tempRoot() {
    Path tmp = Path.of("/tmp");
    return Files.isDirectory(tmp) && Files.isWritable(tmp)
        ? tmp
        : Path.of(System.getProperty("java.io.tmpdir"));
  }

  private static Path createTempDir(Path parent, String prefix) {
    try {
      return Files.createTempDirectory(parent, prefix);
    } catch (IOException e) {
      throw new UncheckedIOException("could not create a directory under " + parent, e);
    }
  }
}
