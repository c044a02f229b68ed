package io.pgfleet.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/** Finds the PostgreSQL server binaries (initdb, pg_ctl, postgres) installed on this machine. */
final class PostgresBinaries {

  static final String OVERRIDE_ENV = "PGFLEET_PG_BIN";
  private static final Path DEBIAN_ROOT = Path.of("/usr/lib/postgresql");

  private PostgresBinaries() {}

  /**
   * The directory named by {@value #OVERRIDE_ENV}, or else the highest Debian major version under
   * /usr/lib/postgresql that has initdb.
   */
  static Path locate() {
    return locate(System.getenv(OVERRIDE_ENV), DEBIAN_ROOT);
  }

  static Path locate(String override, Path debianRoot) {
    if (override != null && !override.isBlank()) {
      Path bin = Path.of(override);
      if (!Files.isExecutable(bin.resolve("initdb"))) {
        throw new IllegalStateException(
            OVERRIDE_ENV + "=" + override + " has no executable initdb in it");
      }
      return bin;
    }
    return highestMajorUnder(debianRoot)
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "No PostgreSQL server binaries found: no "
                        + debianRoot
                        + "/<major>/bin/initdb. Install them with"
                        + " `apt-get install -y postgresql-15`, or set "
                        + OVERRIDE_ENV
                        + " to a directory holding initdb and pg_ctl."));
  }

  private static Optional<Path> highestMajorUnder(Path debianRoot) {
    if (!Files.isDirectory(debianRoot)) {
      return Optional.empty();
    }
    try (Stream<Path> majors = Files.list(debianRoot)) {
      return majors
          .filter(major -> major.getFileName().toString().matches("\\d+"))
          .filter(major -> Files.isExecutable(major.resolve("bin").resolve("initdb")))
          .max(Comparator.comparingInt(major -> Integer.parseInt(major.getFileName().toString())))
          .map(major -> major.resolve("bin"));
    } catch (IOException e) {
      throw new UncheckedIOException("could not list " + debianRoot, e);
    }
  }
}
