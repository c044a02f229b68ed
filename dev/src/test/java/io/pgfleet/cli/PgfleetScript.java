package io.pgfleet.cli;

import io.pgfleet.local.LocalStack;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * A {@code pgfleet} executable the PostgreSQL server's OS user can run (archive_command and
 * restore_command run as that user): this test JVM's classpath, copied where that user can read it,
 * behind a shell script. One copy and one script serve every test in the JVM ({@link #shared()}):
 * the classpath is 260 files, and recording the class-data-sharing archive starts a JVM.
 */
final class PgfleetScript {
  private static Path root;
  private static List<String> copiedClassPath;
  private static Path shared;

  private PgfleetScript() {}

  /**
   * The script, its class-data-sharing archive recorded by a {@code wal-fetch} of a file the
   * archive does not hold (config, storage client and fetch classes, no side effect): every
   * archive_command and restore_command starts a JVM, and most of its start is loading classes.
   * Made on first use in a directory deleted when the JVM exits; without the archive (the recording
   * failed) the script runs the same, only slower.
   */
  static synchronized Path shared() throws IOException {
    if (shared == null) {
      Path dir = root();
      String cp = String.join(":", copiedClassPath);
      Path config = ArchiveConfig.write(LocalStack.shared(), "pgfleet-script");
      List<String> options =
          new ArrayList<>(
              List.of(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-XX:TieredStopAtLevel=1",
                  "-XX:+UseSerialGC",
                  "-Xshare:auto",
                  "-Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener"));
      Path archive = dir.resolve("pgfleet.jsa");
      train(
          options,
          archive,
          cp,
          List.of(
              "wal-fetch",
              "--config",
              config.toString(),
              "--target",
              "training",
              "0000000100000000000000FF",
              dir.resolve("training-fetch").toString()));
      if (Files.isRegularFile(archive)) {
        options.add("-XX:SharedArchiveFile=" + archive);
      }
      Path script = dir.resolve("pgfleet");
      Files.writeString(
          script,
          "#!/bin/sh\nexec "
              + String.join(" ", options)
              + " -cp "
              + cp
              + " io.pgfleet.cli.Main \"$@\"\n");
      openUp(dir);
      shared = script;
    }
    return shared;
  }

  /** Runs the CLI once with the options, dumping the classes it loaded to {@code archive}. */
  private static void train(
      List<String> options, Path archive, String classPath, List<String> trainingArgs)
      throws IOException {
    List<String> command = new ArrayList<>(options);
    command.addAll(
        List.of("-XX:ArchiveClassesAtExit=" + archive, "-cp", classPath, "io.pgfleet.cli.Main"));
    command.addAll(trainingArgs);
    try {
      // its exit code does not matter (a fetch of a file not archived exits 1): only its classes
      new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start()
          .waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while recording the class-data-sharing archive", e);
    }
  }

  /**
   * The repository's own {@code pgfleet} launcher, unchanged, in {@code dir}, with a {@code
   * cli/target/pgfleet.jar} beside it that runs this test JVM's classpath (so the launcher never
   * builds). Run it with java on the PATH.
   */
  static Path launcher(Path dir) throws IOException {
    List<String> entries = copiedClassPath();
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

  private static synchronized List<String> copiedClassPath() throws IOException {
    root();
    return copiedClassPath;
  }

  /**
   * The directory of this JVM's copy of its classpath and of the shared script: made on first use,
   * deleted when the JVM exits.
   */
  private static synchronized Path root() throws IOException {
    if (root == null) {
      Path dir = TempDirs.create("pgfleet-script");
      copiedClassPath = copyClassPath(dir);
      openUp(dir);
      root = dir;
    }
    return root;
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
        // as a jar: class-data sharing archives classes from jars, not from directories
        Path copy = lib.resolve((i++) + "-classes.jar");
        jar(source, copy);
        entries.add(copy.toString());
      }
    }
    return entries;
  }

  private static void jar(Path from, Path to) throws IOException {
    try (var out = new JarOutputStream(Files.newOutputStream(to));
        var walk = Files.walk(from)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        if (p.equals(from)) {
          continue;
        }
        String name = from.relativize(p).toString().replace(File.separatorChar, '/');
        out.putNextEntry(new JarEntry(Files.isDirectory(p) ? name + "/" : name));
        if (Files.isRegularFile(p)) {
          Files.copy(p, out);
        }
        out.closeEntry();
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
