package io.pgfleet.worker.procedure.restore;

import io.pgfleet.worker.procedure.Cancellation;
import io.pgfleet.worker.target.PgTools;
import io.pgfleet.worker.tool.StreamTail;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One pg_restore process fed an archive on stdin. pg_restore may stop reading early (it failed, or
 * it only needed the table of contents): the feed then stops, and the caller decides whether the
 * rest of the stored bytes still has to be read for its checksum.
 */
final class PgRestore {
  private static final int CHUNK = 256 * 1024;

  private final PgTools.Tool tool;
  private final List<String> arguments;
  private final Map<String, String> environment;

  private final List<String> next;
  private final VerboseListener progress;

  PgRestore(PgTools.Tool tool, List<String> arguments, Map<String, String> environment) {
    this(tool, arguments, environment, List.of(), null);
  }

  /**
   * pg_restore run {@code --verbose}, its progress lines read by {@code progress} ({@link
   * RestoreProgress} for a serial restore, {@link ParallelRestoreProgress} for {@code --jobs}).
   */
  static PgRestore reporting(
      PgTools.Tool tool,
      List<String> arguments,
      Map<String, String> environment,
      VerboseListener progress) {
    List<String> verbose = new ArrayList<>(arguments);
    verbose.add("--verbose");
    return new PgRestore(tool, verbose, environment, List.of(), progress);
  }

  /**
   * pg_restore whose output goes on into a second process ({@code next}, e.g. psql), with the same
   * environment.
   */
  PgRestore(
      PgTools.Tool tool,
      List<String> arguments,
      Map<String, String> environment,
      List<String> next) {
    this(tool, arguments, environment, next, null);
  }

  private PgRestore(
      PgTools.Tool tool,
      List<String> arguments,
      Map<String, String> environment,
      List<String> next,
      VerboseListener progress) {
    this.progress = progress;
    this.tool = tool;
    this.arguments = List.copyOf(arguments);
    this.environment = Map.copyOf(environment);
    this.next = List.copyOf(next);
  }

  /**
   * What happened: the exit code, stdout (for {@code --list} and SQL output), the tail of stderr,
   * and the error reading the archive, if decoding it failed.
   */
  record Exit(int code, String stdout, String stderr, IOException archiveError) {
    boolean ok() {
      return code == 0 && archiveError == null;
    }
  }

  Exit run(InputStream archive, Cancellation cancellation)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(tool.path().toString());
    command.addAll(arguments);
    List<ProcessBuilder> builders = new ArrayList<>();
    builders.add(builder(command));
    if (!next.isEmpty()) {
      builders.add(builder(next));
    }
    List<Process> processes = ProcessBuilder.startPipeline(builders);
    Process process = processes.get(0);
    Process last = processes.get(processes.size() - 1);
    processes.forEach(p -> cancellation.onCancel(p::destroyForcibly));
    List<Thread> stderr = new ArrayList<>();
    for (Process p : processes) {
      Thread tail =
          p == process && progress != null
              ? new VerboseStderr(p.getErrorStream(), progress)
              : new StreamTail(p.getErrorStream(), "pg_restore-stderr");
      tail.start();
      stderr.add(tail);
    }
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    Thread out =
        new Thread(
            () -> {
              try (InputStream in = last.getInputStream()) {
                in.transferTo(stdout);
              } catch (IOException ignored) {
                // the process is gone
              }
            },
            "pg_restore-stdout");
    out.setDaemon(true);
    out.start();
    IOException archiveError = feed(archive, process.getOutputStream());
    int code = 0;
    for (Process p : processes) {
      int exit = p.waitFor();
      code = code == 0 ? exit : code;
    }
    out.join(TimeUnit.SECONDS.toMillis(10));
    StringBuilder errors = new StringBuilder();
    for (Thread tail : stderr) {
      tail.join(TimeUnit.SECONDS.toMillis(10));
      String text = tail instanceof VerboseStderr v ? v.text() : ((StreamTail) tail).text();
      errors.append(text).append(text.isEmpty() ? "" : "\n");
    }
    cancellation.check();
    return new Exit(
        code, stdout.toString(StandardCharsets.UTF_8), errors.toString().trim(), archiveError);
  }

  private ProcessBuilder builder(List<String> command) {
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().clear();
    builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    builder.environment().put("LC_ALL", "C.UTF-8");
    builder.environment().putAll(environment);
    return builder;
  }

  /** Copies until the archive ends or pg_restore stops reading; returns an archive read error. */
  private static IOException feed(InputStream archive, OutputStream stdin) {
    byte[] chunk = new byte[CHUNK];
    try (stdin) {
      while (true) {
        int n;
        try {
          n = archive.read(chunk);
        } catch (IOException e) {
          return e;
        }
        if (n < 0) {
          return null;
        }
        stdin.write(chunk, 0, n);
      }
    } catch (IOException pgRestoreStoppedReading) {
      return null;
    }
  }
}
