package io.pgfleet.cli;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * A {@code pgfleet} executable the PostgreSQL server's OS user can run (archive_command and
 * restore_command run as that user): this test JVM's classpath, copied where that user can read it,
 * behind a shell script.
 */
final class PgfleetScript {
  private PgfleetScript() {}

  static Path write(Path dir) throws IOException {
    List<String> entries = copyClassPath(dir);
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

  /**
   * The repository's own {@code pgfleet} launcher, unchanged, in {@code dir}, with a {@code
   * cli/target/pgfleet.jar} beside it that runs this test JVM's classpath (so the launcher never
   * builds). Run it with java on the PATH.
   */
  static Path launcher(Path dir) throws IOException {
    List<String> entries = copyClassPath(dir);
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "io.pgfleet.cli.Main");
    manifest
        .getMainAttributes()
        .put(
            Attributes.Name.CLASS_PATH,
            String.join(" ", entries.stream().map(e -> Path.of(e).toUri().toString()).toList()));
    Path jar = Files.createDirectories(dir.resolve("cli/target")).resolve("pgfleet.jar");
    try (var out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
      out.flush();
    }
    Path script = dir.resolve("pgfleet");
    Path repository = Path.of("").toAbsolutePath().getParent();
    Files.copy(repository.resolve("pgfleet"), script, StandardCopyOption.REPLACE_EXISTING);
    openUp(dir);
    return script;
  }

  private static List<String> copyClassPath(Path dir) throws IOException {
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
    return entries;
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
