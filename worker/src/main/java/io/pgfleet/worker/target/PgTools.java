package io.pgfleet.worker.target;

import io.pgfleet.worker.tool.ToolCall;
import io.pgfleet.worker.tool.ToolFailed;
import io.pgfleet.worker.tool.ToolResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds PostgreSQL client tools. pg_dump refuses servers of a newer major, so a tool is chosen to
 * match the server: the configured directory, else Debian's {@code /usr/lib/postgresql/<major>/bin}
 * of the same or the nearest newer major, else the one on PATH.
 */
public final class PgTools {
  private static final Path DEBIAN_ROOT = Path.of("/usr/lib/postgresql");
  private static final Pattern VERSION = Pattern.compile("\\(PostgreSQL\\) (\\d+)(?:\\.(\\d+))?");

  private PgTools() {}

  /** A client tool and its version. */
  public record Tool(Path path, int major, String version) {}

  public static Tool find(String name, Path configuredDir, int serverMajor) {
    if (configuredDir != null) {
      return describe(configuredDir.resolve(name));
    }
    Optional<Tool> debian = debianCandidates(name, serverMajor);
    return debian.orElseGet(() -> describe(Path.of(name)));
  }

  private static Optional<Tool> debianCandidates(String name, int serverMajor) {
    if (!Files.isDirectory(DEBIAN_ROOT)) {
      return Optional.empty();
    }
    try (Stream<Path> majors = Files.list(DEBIAN_ROOT)) {
      return majors
          .filter(p -> p.getFileName().toString().matches("\\d+"))
          .filter(p -> Integer.parseInt(p.getFileName().toString()) >= serverMajor)
          .min(Comparator.comparingInt(p -> Integer.parseInt(p.getFileName().toString())))
          .map(p -> p.resolve("bin").resolve(name))
          .filter(Files::isExecutable)
          .map(PgTools::describe);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /**
   * {@link #run} once per installed file: every backup asks, and starting {@code pg_dump --version}
   * costs a process per backup. A file replaced in place (a package upgrade) has another time or
   * size, and is asked again. A bare name found on PATH is not cached.
   */
  static Tool describe(Path tool) {
    if (!tool.isAbsolute()) {
      return run(tool);
    }
    try {
      BasicFileAttributes a = Files.readAttributes(tool, BasicFileAttributes.class);
      Installed key = new Installed(tool, a.lastModifiedTime().toMillis(), a.size());
      Tool known = DESCRIBED.get(key); // not computeIfAbsent: run() starts a process
      if (known == null) {
        known = run(tool);
        DESCRIBED.putIfAbsent(key, known);
      }
      return known;
    } catch (IOException e) {
      return run(tool); // says what to install
    }
  }

  private record Installed(Path path, long modifiedMillis, long size) {}

  private static final Map<Installed, Tool> DESCRIBED = new ConcurrentHashMap<>();

  /** Runs {@code tool --version}; a tool that cannot run is reported with what to install. */
  private static Tool run(Path tool) {
    try {
      ToolResult result =
          ToolCall.of(List.of(tool.toString(), "--version"))
              .within(Duration.ofSeconds(10))
              .run()
              .requireSuccess();
      String out = result.stdout();
      Matcher m = VERSION.matcher(out);
      if (!m.find()) {
        throw new IllegalStateException("cannot read the version of " + tool + ": " + out);
      }
      String version = m.group(1) + (m.group(2) == null ? "" : "." + m.group(2));
      return new Tool(tool, Integer.parseInt(m.group(1)), version);
    } catch (ToolFailed e) {
      throw new IllegalStateException(tool + " --version failed: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot run "
              + tool
              + ": install the PostgreSQL client tools (Debian: apt-get install -y"
              + " postgresql-client) or set pgBinDir for the target",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while checking " + tool, e);
    }
  }
}
