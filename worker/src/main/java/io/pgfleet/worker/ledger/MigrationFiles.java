package io.pgfleet.worker.ledger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;

/**
 * The versioned migrations of a classpath folder, listed by name (a directory in a build, a folder
 * of the shipped jar): cheap next to configuring Flyway, which scans the whole classpath.
 */
final class MigrationFiles {
  private static final Pattern VERSIONED = Pattern.compile("V(\\d+(?:[._]\\d+)*)__.+\\.sql");

  private MigrationFiles() {}

  /** The newest version among {@code names}, as Flyway writes it in its history ("2.13"). */
  static String newest(List<String> names) {
    return names.stream()
        .map(VERSIONED::matcher)
        .filter(Matcher::matches)
        .map(m -> Arrays.stream(m.group(1).split("[._]")).mapToInt(Integer::parseInt).toArray())
        .max(Comparator.comparing(v -> v, Arrays::compare))
        .map(v -> String.join(".", Arrays.stream(v).mapToObj(String::valueOf).toList()))
        .orElseThrow(() -> new IllegalStateException("no versioned migration in " + names));
  }

  /** The file names in {@code folder} (no leading slash) on {@code loader}'s classpath. */
  static List<String> in(ClassLoader loader, String folder) {
    URL url = loader.getResource(folder);
    if (url == null) {
      throw new IllegalStateException("no " + folder + " on the classpath");
    }
    try {
      if (url.getProtocol().equals("jar")) {
        JarURLConnection connection = (JarURLConnection) url.openConnection();
        connection.setUseCaches(false);
        try (JarFile jar = connection.getJarFile()) {
          String prefix = folder + "/";
          return jar.stream()
              .map(ZipEntry::getName)
              .filter(n -> n.startsWith(prefix) && n.indexOf('/', prefix.length()) < 0)
              .map(n -> n.substring(prefix.length()))
              .filter(n -> !n.isEmpty())
              .toList();
        }
      }
      try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
        return files.map(f -> f.getFileName().toString()).toList();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + url, e);
    } catch (URISyntaxException | IllegalArgumentException e) {
      throw new IllegalStateException("cannot list " + url, e);
    }
  }
}
