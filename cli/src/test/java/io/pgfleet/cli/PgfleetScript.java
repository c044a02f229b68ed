package io.pgfleet.cli;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code pgfleet} executable the PostgreSQL server's OS user can run (archive_command and
 * restore_command run as that user): this test JVM's classpath, copied where that user can read it,
 * behind a shell script.
 */
final class PgfleetScript {
  private PgfleetScript() {}

  static Path write(Path dir) throws IOException {
    Path lib = Files.createDirectories(dir.resolve("lib"));
    List<String> entries = new ArrayList<>();
    int i = 0;
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path source = Path.of(entry);
      if (Files.isRegularFile(source)) {
        Path copy = lib.resolve((i++) + "-" + source.getFileName());
        Files.copy(source, copy, StandardCopyOption.REPLACE_EXISTING);
        entries.add(copy.toString());
      } else if (Files.isDirectory(source)) {
        Path copy = lib.resolve((i++) + "-classes");
        copyTree(source, copy);
        entries.add(copy.toString());
      }
    }
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Path script = dir.resolve("pgfleet");
    Files.writeString(
        script,
        "#!/bin/sh\nexec "
            + java
            + " -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto"
            + " -Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener -cp "
            + String.join(":", entries)
            + " io.pgfleet.cli.Main \"$@\"\n");
    openUp(dir);
    return script;
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (var walk = Files.walk(from)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  private static void openUp(Path dir) throws IOException {
    try (var walk = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        Files.setPosixFilePermissions(
            p,
            PosixFilePermissions.fromString(
                Files.isDirectory(p) || p.getFileName().toString().equals("pgfleet")
                    ? "rwxr-xr-x"
                    : "rw-r--r--"));
      }
    }
  }
}
